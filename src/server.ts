import "reflect-metadata";
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { DestinationStream } from "pino";
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { createRequestContext, type RequestContext } from "./graphql/context";
import { openDataSource } from "./data-source";
import { runMigrations } from "./db/migrate";
import { TokenVerifier } from "./auth/token-verifier";
import { AppError } from "./errors/app-error";
import { createErrorFormatter } from "./graphql/format-error";
import { parseLimits, queryLimitsRule } from "./graphql/limits";
import { readBody } from "./http/read-body";
import { sendGraphQLError, sendJson, sendRestError } from "./http/respond";
import { DirectExecutor } from "./graphql/direct-executor";
import { operationRules } from "./graphql/operation-cache";
import { createLogger, type Logger } from "./logging/logger";
import { buildSubgraph } from "./graphql/schema";
import { createServices, type Services } from "./services";
import { OAuthRoutes } from "./http/oauth-routes";
import { TokenRefresher } from "./modules/oauth/token-refresher";
import { LocalEventBus, RedisEventBus, type EventBus } from "./events/event-bus";
import { startWebSocketServer } from "./realtime/ws-server";
import { closeFeedOf } from "./realtime/event-feed";
import { handleRestAccount, isRestAccountsPath } from "./http/rest-accounts";
import { CorsPolicy } from "./http/cors";

/** A running service instance. */
export interface RunningService {
  url: string;
  port: number;
  httpServer: Server;
  dataSource: DataSource;
  services: Services;
  verifier: TokenVerifier;
  refresher: TokenRefresher;
  logger: Logger;
  /**
   * The first step of a graceful stop: /readyz answers 503 (load balancers take the instance out)
   * and every answer says `Connection: close` (clients stop reusing connections), while requests
   * are still accepted and answered. `close` follows.
   */
  drain(): void;
  /** Stops accepting requests, lets in-flight ones finish (up to the grace period), closes the database. */
  close(): Promise<void>;
}

/** Options that tests and tools pass in addition to the configuration. */
export interface StartOptions {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
}

/**
 * Starts one service instance: database (migrated), services, the GraphQL subgraph and the HTTP
 * server. The HTTP layer is plain node:http: the token path is hot, and a framework in front of
 * Apollo would cost more than GraphQL itself (STACK.md).
 */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const logger = createLogger(config.logLevel, options.logDestination);
  const dataSource = await openDataSource(config.database, logger);
  try {
    if (config.database.migrate) {
      const applied = await runMigrations(dataSource);
      if (applied.length > 0) logger.info({ migrations: applied }, "migrations applied");
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const bus: EventBus = config.realtime.redisUrl ? await RedisEventBus.connect(config.realtime.redisUrl, logger) : new LocalEventBus();
  const services = createServices(dataSource, config, logger, bus);
  const oauthRoutes = new OAuthRoutes(services.oauth, config.providerTimeoutMs, config.oauth.publicUrl.startsWith("https:"), logger);
  const refresher = new TokenRefresher(dataSource, services.tokens, config.oauth, logger);
  const verifier = await TokenVerifier.create(config.auth);
  verifier.useApiTokens((token) => services.apiTokens.authenticate(token));
  const schema = await buildSubgraph();
  const cors = new CorsPolicy(config.corsOrigins);

  const httpServer = http.createServer();
  httpServer.headersTimeout = 15_000;
  httpServer.requestTimeout = 60_000;
  httpServer.keepAliveTimeout = 65_000;

  const errorFormatter = createErrorFormatter(logger);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.graphql.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.production,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    stopOnTerminationSignals: false,
    // The same token cap and limits as the direct path and graphql-ws (graphql/limits.ts).
    parseOptions: parseLimits(config.graphql),
    validationRules: [queryLimitsRule(config.graphql)],
    formatError: errorFormatter,
    logger: {
      debug: (m: string) => logger.debug(m),
      info: (m: string) => logger.info(m),
      warn: (m: string) => logger.warn(m),
      error: (m: string) => logger.error(m),
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Nothing here is cacheable per se, and the plugin costs ~27% CPU on nested responses.
      ApolloServerPluginCacheControlDisabled(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  // Well-formed POSTs skip Apollo's per-request pipeline; Apollo answers everything else.
  const direct = config.graphql.directExecution
    ? new DirectExecutor(schema, operationRules(config.graphql), config.graphql, errorFormatter)
    : undefined;

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, search: string): Promise<void> {
    let principal;
    try {
      principal = await verifier.authenticate(req.headers.authorization);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      leaveBodyUnread(req, res);
      return sendGraphQLError(res, error.code, error.message, undefined, error.details);
    }
    // Every field needs a caller: refused here (401, RFC 6750), before any parsing or validation
    // work is spent on an anonymous request. Outside production the landing page stays open.
    if (!principal && !(isLandingPage(req) && !config.production)) {
      leaveBodyUnread(req, res);
      return sendGraphQLError(res, "UNAUTHENTICATED", "Authentication is required: send Authorization: Bearer <token>.", undefined, { reason: "MISSING" });
    }
    let body: unknown;
    if (req.method === "POST") {
      const raw = await readBody(req, config.graphql.maxBodyBytes);
      const type = req.headers["content-type"] ?? "";
      if (type.startsWith("application/json") || type.startsWith("application/graphql-response+json")) {
        try {
          body = JSON.parse(raw.toString("utf8"));
        } catch {
          return sendGraphQLError(res, "BAD_REQUEST", "The request body is not valid JSON.");
        }
      } else {
        body = raw.toString("utf8");
      }
    }
    const requestId = (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) ?? randomUUID();
    const context = () => createRequestContext(dataSource, services, principal ?? null, logger, requestId);
    if (direct && req.method === "POST") {
      const answer = await direct.execute(body, req.headers, context);
      if (answer) {
        res.writeHead(answer.status, { "content-type": answer.contentType, "content-length": Buffer.byteLength(answer.body), "cache-control": "no-store" });
        res.end(answer.body);
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? "GET", headers, search, body };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context() });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.setHeader("cache-control", "no-store");
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  let draining = false;
  async function handleReady(res: ServerResponse): Promise<void> {
    if (draining) return sendJson(res, 503, { status: "unavailable", reason: "shutting down" });
    try {
      await dataSource.query("SELECT 1");
      sendJson(res, 200, { status: "ready" });
    } catch {
      sendJson(res, 503, { status: "unavailable", reason: "database" });
    }
  }

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    // Draining: answered, but the connection is not kept for another request.
    if (draining) res.shouldKeepAlive = false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? "" : url.slice(q);
    // Before anything else: a preflight carries no token, and every answer needs the CORS headers.
    if (cors.handle(req, res, path)) return;
    let work: Promise<void> | void;
    if (path === "/graphql") work = handleGraphQL(req, res, search);
    else if (path === "/healthz") work = sendJson(res, 200, { status: "ok" });
    else if (path === "/readyz") work = handleReady(res);
    else if (isRestAccountsPath(path)) work = handleRestAccount(req, res, path, search, { dataSource, services, verifier, logger });
    else if (path === "/v1" || path.startsWith("/v1/")) work = sendRestError(res, { code: "NOT_FOUND", message: "No such endpoint." });
    else if (path === "/oauth/start" && req.method === "GET") work = oauthRoutes.start(req, res);
    else if (path === "/oauth/callback" && req.method === "GET") work = oauthRoutes.callback(req, res);
    else work = sendRestError(res, { code: "NOT_FOUND", message: "No such endpoint." });
    Promise.resolve(work).catch((error: unknown) => {
      const status = (error as { status?: number }).status;
      if (error instanceof AppError) {
        if (!res.headersSent) sendGraphQLError(res, error.code, error.message, status);
        return;
      }
      logger.error({ err: error }, "request failed");
      if (!res.headersSent) sendGraphQLError(res, "INTERNAL");
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  refresher.start();
  const realtime = startWebSocketServer(httpServer, schema, dataSource, services, verifier, config, logger, (origin) => cors.allowsUpgrade(origin));
  // Old events go after the retention; a missed prune is harmless (the next one catches up).
  const pruner = setInterval(() => void services.events.prune(config.realtime.eventRetentionMs).catch(() => undefined), 3600_000);
  pruner.unref();
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/graphql`;

  const drain = () => {
    draining = true;
  };
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      await refresher.stop();
      clearInterval(pruner);
      await realtime.close();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      grace.unref();
      await apollo.stop();
      clearTimeout(grace);
      // Read entries of the audit trail are batched; write the last ones while the database is up.
      await services.audit.close().catch((error: unknown) => logger.error({ err: error, pending: services.audit.pendingCount }, "audit entries could not be written at shutdown"));
      closeFeedOf(services.events);
      await bus.close();
      await dataSource.destroy();
    })());

  return { url, port, httpServer, dataSource, services, verifier, refresher, logger, drain, close };
}

// A browser asking for the GraphQL landing page (Apollo's, outside production).
function isLandingPage(req: IncomingMessage): boolean {
  return req.method === "GET" && (req.headers.accept ?? "").includes("text/html");
}

// A request refused before its body was read: the connection is not reused, so Node does not read
// (and throw away) a body that may be large.
function leaveBodyUnread(req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== "GET" && req.method !== "HEAD") res.shouldKeepAlive = false;
}
