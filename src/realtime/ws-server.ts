import type { IncomingMessage, Server } from "node:http";
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { CloseCode, makeServer } from "graphql-ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Config } from "../config";
import { createLoaders, type Loaders } from "../modules/loaders";
import { type RequestContext } from "../graphql/context";
import { AppError } from "../errors/app-error";
import { createErrorFormatter, formatGraphQLError, requestErrorCode } from "../graphql/format-error";
import type { Logger } from "../logging/logger";
import type { Services } from "../services";
import { OperationCache, operationRules, withoutSchemaHints } from "../graphql/operation-cache";
import { resultGroupOf, sharedSubscribe } from "./shared-execution";
import { serveGraphQLWs } from "./ws-transport";
import { ConnectionLifetimes, WorkspaceSockets } from "./connection-lifetime";
import { metrics } from "../observability/metrics";
import { observeOperation } from "../graphql/operation-observer";

type ConnectionExtra = { socket: WebSocket; principal?: Principal; subscriptions: number };

/**
 * The context of one WebSocket operation. Loaders are made only if a resolver asks for them (the
 * subscribe step may; delivering events never does), and dropped once the subscription is set
 * up, so a long-lived subscription does not keep a request's caches alive.
 */
class WsOperationContext implements RequestContext {
  readonly requestId = "ws";
  private cachedLoaders: Loaders | null = null;

  constructor(
    readonly principal: Principal | null,
    readonly services: Services,
    readonly logger: Logger,
    private readonly dataSource: DataSource,
    /** The connection and the client's id of this operation, for sending events straight to it. */
    readonly socket: WebSocket,
    readonly operationId: string,
    private readonly workspaceSockets: WorkspaceSockets,
  ) {}

  watchWorkspace(workspaceId: string): void {
    this.workspaceSockets.watch(this.socket, workspaceId);
  }

  get loaders(): Loaders {
    return (this.cachedLoaders ??= createLoaders(this.dataSource, this.principal));
  }

  releaseLoaders(): void {
    this.cachedLoaders = null;
  }
}

/**
 * graphql-ws on the same HTTP server and path as queries. A connection authenticates in
 * connection_init with the same bearer tokens as HTTP (no init in time: 4408; bad token: 4403);
 * the same depth/alias/cost limits apply to its operations; limits bound message size,
 * subscriptions per connection and connections per user; a client that stops reading is
 * disconnected once its send buffer passes a bound, so it cannot grow the server's memory.
 * Operations are parsed and validated once per distinct text, and each event is executed once
 * for all subscribers that would get the same result. A handshake whose `Origin` fails
 * `allowsOrigin` is refused with 403 before any of that (browsers apply no CORS to WebSockets).
 */
export function startWebSocketServer(
  httpServer: Server,
  schema: GraphQLSchema,
  dataSource: DataSource,
  services: Services,
  verifier: TokenVerifier,
  config: Config,
  logger: Logger,
  allowsOrigin: (origin: string | undefined) => boolean = () => true,
): { close(): Promise<void> } {
  const limits = config.realtime;
  // The same rules as over HTTP, introspection setting included.
  const operations = new OperationCache(schema, operationRules(config.graphql), config.graphql);
  const connectionsPerUser = new Map<string, number>();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: limits.maxMessageBytes,
    verifyClient: (info: { req: IncomingMessage }, done: (ok: boolean, status?: number, message?: string) => void) =>
      allowsOrigin(info.req.headers.origin) ? done(true) : done(false, 403, "Origin not allowed"),
  });

  const drains = new DrainWatch(limits.maxBufferedBytes, limits.drainTimeoutMs);
  // A connection lives no longer than its credentials (SPEC §5): closed at expiry or revocation.
  const lifetimes = new ConnectionLifetimes((ids) => services.apiTokens.stillValid(ids), limits.tokenRecheckMs, logger);
  const stopRevocations = services.bus.onRevoked((id) => lifetimes.revoked(id));
  // A deleted workspace's subscribers are closed with WORKSPACE_DELETED, on every instance.
  const workspaceSockets = new WorkspaceSockets();
  const stopWorkspaceGone = services.bus.onWorkspaceGone((id) => workspaceSockets.gone(id));
  // Every error leaves with its code, through the same mapping as over HTTP (Apollo's formatError).
  const formatError = createErrorFormatter(logger);
  const clientError = (error: GraphQLError, defaultCode: string): GraphQLFormattedError => {
    const formatted = formatGraphQLError(formatError, error, defaultCode);
    // As over HTTP in production: no "did you mean" hints that would reveal the schema.
    return config.production ? { ...formatted, message: withoutSchemaHints(formatted.message) } : formatted;
  };
  // An execution result's errors. Without `data` and without a path (no resolver ran), they are
  // graphql-js refusing the request's variables: the caller's BAD_USER_INPUT, as Apollo says over HTTP.
  const formatResult = (result: ExecutionResult) => {
    if (!result.errors) return result;
    const refused = !("data" in result);
    return { ...result, errors: result.errors.map((e) => clientError(e, refused && e.path === undefined ? "BAD_USER_INPUT" : "INTERNAL_SERVER_ERROR")) };
  };
  const subscribe = sharedSubscribe((args: ExecutionArgs) => {
    const context = args.contextValue as WsOperationContext;
    // Resolvers run during subscribe are done: what a delivery executes reads no loader.
    context.releaseLoaders();
    const prepared = operations.preparedOf(args.document)!;
    // The root guard (graphql/access.ts) depends on the principal's kind and API-token scope only.
    const accessClass = context.principal?.apiToken?.scope ?? (context.principal ? "user" : "anonymous");
    const { socket } = context;
    // The frame graphql-ws would write ({"id","type","payload"}), around the shared payload.
    const head = `{"id":${JSON.stringify(context.operationId)},"type":"next","payload":`;
    return {
      group: resultGroupOf(prepared, args.operationName ?? undefined, args.variableValues, accessClass),
      sendNext: (payloadJson: string, resume: () => void) => {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(head + payloadJson + "}");
        if (socket.bufferedAmount <= limits.maxBufferedBytes) return;
        // Back-pressure: no more for this client until it drains (the log keeps what it misses);
        // one that does not drain in time is cut off, so a stopped reader holds no memory.
        drains.wait(socket, resume);
        return "full";
      },
    };
  }, formatResult);

  const server = makeServer<Record<string, unknown>, ConnectionExtra>({
    schema,
    connectionInitWaitTimeout: limits.initTimeoutMs,
    subscribe,
    onConnect: async (ctx) => {
      // `token` is where Apollo Router's passthrough puts the client's Authorization header
      // (`{"token": "Bearer …"}`), so a router needs no script to subscribe for its clients.
      const params = ctx.connectionParams;
      const raw = params?.authorization ?? params?.Authorization ?? params?.token;
      try {
        const principal = await verifier.authenticate(typeof raw === "string" ? raw : undefined);
        if (!principal) {
          ctx.extra.socket.close(CloseCode.Forbidden, "Authentication is required");
          return false;
        }
        const open = connectionsPerUser.get(principal.userId) ?? 0;
        if (open >= limits.maxConnectionsPerUser) {
          ctx.extra.socket.close(CloseCode.TooManyInitialisationRequests, "Too many connections for this user");
          return false;
        }
        connectionsPerUser.set(principal.userId, open + 1);
        ctx.extra.principal = principal;
        lifetimes.track(ctx.extra.socket, principal);
        // The bearer token is not needed past this point: not kept for the connection's lifetime.
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        ctx.extra.subscriptions = 0;
        metrics.wsConnections(1);
        return true;
      } catch (error) {
        // 4403 as graphql-ws answers a refused init, with what was wrong (never the token) as the reason.
        const reason = error instanceof AppError ? error.message : "Forbidden";
        ctx.extra.socket.close(CloseCode.Forbidden, Buffer.from(reason).subarray(0, 120).toString("utf8").replace(/\uFFFD$/, ""));
        return false;
      }
    },
    onClose: (ctx) => {
      lifetimes.release(ctx.extra.socket, ctx.extra.principal);
      workspaceSockets.release(ctx.extra.socket);
      const userId = ctx.extra.principal?.userId;
      if (!userId) return;
      metrics.wsConnections(-1);
      // Subscriptions still open when the socket went (graphql-ws completes none of them here).
      if (ctx.extra.subscriptions) metrics.wsSubscriptions(-ctx.extra.subscriptions);
      ctx.extra.subscriptions = 0;
      const open = (connectionsPerUser.get(userId) ?? 1) - 1;
      if (open <= 0) connectionsPerUser.delete(userId);
      else connectionsPerUser.set(userId, open);
    },
    onSubscribe: (ctx, id, payload) => {
      const start = performance.now();
      const open = ctx.extra.subscriptions ?? 0;
      if (open >= limits.maxSubscriptionsPerConnection) {
        observeOperation(payload.operationName, undefined, "QUERY_TOO_COMPLEX", start);
        return [new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`, { extensions: { code: "QUERY_TOO_COMPLEX" } })];
      }
      const prepared = operations.prepare(payload.query);
      // Parse or validation errors: formatted with their codes in onError.
      if (Array.isArray(prepared)) {
        const code = (prepared as readonly GraphQLError[])[0]?.extensions?.code;
        observeOperation(payload.operationName, undefined, typeof code === "string" ? code : "GRAPHQL_VALIDATION_FAILED", start);
        return prepared as GraphQLError[];
      }
      ctx.extra.subscriptions = open + 1;
      metrics.wsSubscriptions(1);
      const document = (prepared as Exclude<typeof prepared, readonly GraphQLError[]>).document;
      observeOperation(payload.operationName, getOperationAST(document, payload.operationName)?.operation, "OK", start);
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: new WsOperationContext(ctx.extra.principal ?? null, services, logger, dataSource, ctx.extra.socket, id, workspaceSockets),
      };
    },
    onComplete: (ctx) => {
      if (ctx.extra.subscriptions) metrics.wsSubscriptions(-1);
      ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
    },
    onNext: (ctx, _id, _payload, _args, result) => {
      // Back-pressure (live events are sent directly, see sendNext; this covers the rest).
      if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) {
        metrics.wsClientDropped();
        ctx.extra.socket.terminate();
      }
      return result.errors ? (formatResult(result) as ExecutionResult) : undefined;
    },
    // Errors of the request itself (parse, validation, limits): the same codes as over HTTP.
    onError: (_ctx, _id, _payload, errors) => errors.map((error) => clientError(error, requestErrorCode(error))),
  });
  const transport = serveGraphQLWs(wsServer, server, (socket) => ({ socket, subscriptions: 0 }), logger);
  return {
    async close() {
      stopRevocations();
      stopWorkspaceGone();
      lifetimes.close();
      workspaceSockets.clear();
      await transport.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/**
 * Sockets whose clients have too much unsent: checked every 50 ms, they resume their
 * subscriptions once under half the bound, and are cut off if they are still over it after the
 * deadline. (ws has no drain event of its own; polling the few sockets in this state is cheap.)
 */
class DrainWatch {
  private readonly waiting = new Map<WebSocket, { resumes: Set<() => void>; since: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly maxBufferedBytes: number,
    private readonly timeoutMs: number,
  ) {}

  wait(socket: WebSocket, resume: () => void): void {
    const entry = this.waiting.get(socket);
    if (entry) entry.resumes.add(resume);
    else {
      this.waiting.set(socket, { resumes: new Set([resume]), since: Date.now() });
      metrics.wsClientPaused();
    }
    this.timer ??= setInterval(() => this.check(), 50).unref();
  }

  private check(): void {
    const now = Date.now();
    for (const [socket, entry] of this.waiting) {
      if (socket.readyState !== socket.OPEN) {
        this.waiting.delete(socket);
      } else if (socket.bufferedAmount <= this.maxBufferedBytes / 2) {
        this.waiting.delete(socket);
        for (const resume of entry.resumes) resume();
      } else if (now - entry.since > this.timeoutMs) {
        this.waiting.delete(socket);
        metrics.wsClientDropped();
        socket.terminate();
      }
    }
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
