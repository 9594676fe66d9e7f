import "reflect-metadata";
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
import { MetricsEndpoint } from "./http/metrics-endpoint";
import { enableMetrics, metrics, secondsSince } from "./observability/metrics";
import { flushTracing, inServerSpan, inSpan, startTracing } from "./observability/tracing";
import { requestIdFrom, withRequestId } from "./observability/request-context";
import { observeOperation, operationObserverPlugin } from "./graphql/operation-observer";
import { committedOperationNames } from "./graphql/committed-operations";
import { traceStatements } from "./db/statement-spans";
import { poolStats } from "./db/pool-stats";
import { AccountHealthCount } from "./modules/accounts/account-health-count";
import { WebhookDispatcher } from "./modules/webhooks/webhook-dispatcher";
import { RetentionPurger } from "./modules/lifecycle/retention.service";
import { HEALTH_STATUSES } from "./modules/accounts/account.entity";
import { EVENT_KINDS } from "./events/event.entity";
import { ERROR_CODES } from "./errors/error-codes";

/** A running service instance. */
export interface RunningService {
  url: string;
  /** The metrics listener's URL (METRICS_PORT), or null. */
  metricsUrl: string | null;
  port: number;
  httpServer: Server;
  dataSource: DataSource;
  services: Services;
  verifier: TokenVerifier;
  refresher: TokenRefresher;
  /** Webhook delivery of this instance. */
  webhooks: WebhookDispatcher;
  /** The background purge of records past their retention. */
  retention: RetentionPurger;
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
  // Before the database opens, so its statements are traced from the first.
  startTracing(config.tracing);
  const dataSource = await openDataSource(config.database, logger);
  traceStatements(dataSource);
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
  const webhooks = new WebhookDispatcher(dataSource, services.webhooks, services.events, bus, services.audit, config.webhooks, logger);
  const retention = new RetentionPurger(dataSource, config.retention, logger);
  const verifier = await TokenVerifier.create(config.auth);
  verifier.useApiTokens((token) => services.apiTokens.authenticate(token));
  const schema = await buildSubgraph();
  const cors = new CorsPolicy(config.corsOrigins);

  // Metrics (METRICS_PORT / METRICS_TOKEN): labels from closed sets only (observability/metrics.ts).
  const healthCount = new AccountHealthCount(dataSource, config.metrics.accountCountIntervalMs, logger);
  let metricsEndpoint: MetricsEndpoint | null = null;
  let metricsServer: Server | null = null;
  if (config.metrics.enabled) {
    const registry = enableMetrics(
      {
        apps: services.apps.slugs,
        operations: [...committedOperationNames(), ...config.metrics.operationNames],
        codes: ERROR_CODES,
        healthStates: HEALTH_STATUSES,
        eventKinds: EVENT_KINDS,
      },
      { pool: poolStats(dataSource), auditQueueDepth: () => services.audit.pendingCount, accountsByHealth: () => healthCount.current },
    );
    metricsEndpoint = new MetricsEndpoint(registry, config.metrics.token);
    healthCount.start();
  }

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
      operationObserverPlugin<RequestContext>(),
      ...(config.production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  // Well-formed POSTs skip Apollo's per-request pipeline; Apollo answers everything else.
  const direct = config.graphql.directExecution
    ? new DirectExecutor(schema, operationRules(config.graphql), config.graphql, errorFormatter)
    : undefined;

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, search: string, requestId: string): Promise<void> {
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
    const context = () => createRequestContext(dataSource, services, principal ?? null, logger, requestId);
    // The operation's span: named after the operation once it is known (graphql/operation-observer.ts).
    return inSpan("graphql", {}, () => executeGraphQL(req, res, search, body, context));
  }

  async function executeGraphQL(req: IncomingMessage, res: ServerResponse, search: string, body: unknown, context: () => RequestContext): Promise<void> {
    if (direct && req.method === "POST") {
      const start = performance.now();
      const answer = await direct.execute(body, req.headers, context);
      if (answer) {
        observeOperation(answer.operationName, answer.operationType, answer.outcome, start);
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

  // The route label of metrics and spans: the handler's pattern, never the path itself (it holds ids).
  function routeOf(path: string, method: string | undefined): string {
    if (path === "/graphql" || path === "/healthz" || path === "/readyz") return path;
    if (isRestAccountsPath(path)) return "/v1/accounts/:id";
    if ((path === "/oauth/start" || path === "/oauth/callback") && method === "GET") return path;
    if (path === "/metrics" && metricsEndpoint?.onPublicPort) return path;
    return "other";
  }

  function route(req: IncomingMessage, res: ServerResponse, path: string, search: string, requestId: string): Promise<void> | void {
    if (path === "/graphql") return handleGraphQL(req, res, search, requestId);
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") return handleReady(res);
    if (isRestAccountsPath(path)) return handleRestAccount(req, res, path, search, { dataSource, services, verifier, logger });
    if (path === "/v1" || path.startsWith("/v1/")) return sendRestError(res, { code: "NOT_FOUND", message: "No such endpoint." });
    if (path === "/oauth/start" && req.method === "GET") return oauthRoutes.start(req, res);
    if (path === "/oauth/callback" && req.method === "GET") return oauthRoutes.callback(req, res);
    // Only behind METRICS_TOKEN: without one, /metrics is not served on the public port at all.
    if (path === "/metrics" && metricsEndpoint?.onPublicPort) return metricsEndpoint.handle(req, res);
    return sendRestError(res, { code: "NOT_FOUND", message: "No such endpoint." });
  }

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const start = performance.now();
    // Draining: answered, but the connection is not kept for another request.
    if (draining) res.shouldKeepAlive = false;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? "" : url.slice(q);
    // Every answer names its request, as every log line of it does (and the trace, when on).
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.setHeader("x-request-id", requestId);
    const routeName = routeOf(path, req.method);
    if (metrics.enabled) res.once("finish", () => metrics.httpRequest(routeName, req.method, res.statusCode, secondsSince(start)));
    // Before anything else: a preflight carries no token, and every answer needs the CORS headers.
    if (cors.handle(req, res, path)) return;
    const work = withRequestId(requestId, () =>
      inServerSpan(`${req.method ?? "GET"} ${routeName}`, req.headers, { "http.request.method": req.method ?? "GET", "http.route": routeName }, async (span) => {
        await route(req, res, path, search, requestId);
        span?.setAttribute("http.response.status_code", res.statusCode);
      }),
    );
    work.catch((error: unknown) => {
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
  if (metricsEndpoint && config.metrics.port !== null) metricsServer = await metricsEndpoint.listen(config.metrics.port, config.metrics.host, logger);
  refresher.start();
  webhooks.start();
  // Deletions a crashed instance left (at start, then every DELETION_SWEEP_MS).
  services.deletions.start();
  const realtime = startWebSocketServer(httpServer, schema, dataSource, services, verifier, config, logger, (origin) => cors.allowsUpgrade(origin));
  // Records past their retention go in batches; a missed pass is harmless (the next one catches up).
  retention.start();
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
      await webhooks.stop();
      await services.deletions.stop();
      await retention.stop();
      await realtime.close();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      grace.unref();
      await apollo.stop();
      clearTimeout(grace);
      // Read entries of the audit trail are batched; write the last ones while the database is up.
      await services.audit.close().catch((error: unknown) => logger.error({ err: error, pending: services.audit.pendingCount }, "audit entries could not be written at shutdown"));
      closeFeedOf(services.events);
      await bus.close();
      healthCount.stop();
      await dataSource.destroy();
      await flushTracing().catch(() => undefined);
      if (metricsServer) await new Promise<void>((resolve) => metricsServer!.close(() => resolve()));
    })());

  const metricsUrl = metricsServer ? `http://${config.metrics.host.includes(":") ? `[${config.metrics.host}]` : config.metrics.host}:${(metricsServer.address() as AddressInfo).port}/metrics` : null;
  return { url, metricsUrl, port, httpServer, dataSource, services, verifier, refresher, webhooks, retention, logger, drain, close };
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
