import type { Server } from "node:http";
import { GraphQLError, type ExecutionArgs, type GraphQLSchema } from "graphql";
import { CloseCode, makeServer } from "graphql-ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Config } from "../config";
import { createLoaders, type Loaders, type RequestContext } from "../context";
import { AppError } from "../errors/app-error";
import type { Logger } from "../logging/logger";
import type { Services } from "../services";
import { OperationCache, operationRules, withoutSchemaHints } from "../graphql/operation-cache";
import { resultGroupOf, sharedSubscribe } from "./shared-execution";
import { serveGraphQLWs } from "./ws-transport";

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
  ) {}

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
 * for all subscribers that would get the same result.
 */
export function startWebSocketServer(
  httpServer: Server,
  schema: GraphQLSchema,
  dataSource: DataSource,
  services: Services,
  verifier: TokenVerifier,
  config: Config,
  logger: Logger,
): { close(): Promise<void> } {
  const limits = config.realtime;
  // The same rules as over HTTP, introspection setting included.
  const operations = new OperationCache(schema, operationRules(config.graphql));
  const connectionsPerUser = new Map<string, number>();
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: limits.maxMessageBytes });

  const drains = new DrainWatch(limits.maxBufferedBytes, limits.drainTimeoutMs);
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
  });

  const server = makeServer<Record<string, unknown>, ConnectionExtra>({
    schema,
    connectionInitWaitTimeout: limits.initTimeoutMs,
    subscribe,
    onConnect: async (ctx) => {
      const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      try {
        const principal = await verifier.authenticate(typeof raw === "string" ? raw : undefined);
        if (!principal) return false;
        const open = connectionsPerUser.get(principal.userId) ?? 0;
        if (open >= limits.maxConnectionsPerUser) {
          ctx.extra.socket.close(CloseCode.TooManyInitialisationRequests, "Too many connections for this user");
          return false;
        }
        connectionsPerUser.set(principal.userId, open + 1);
        ctx.extra.principal = principal;
        // The bearer token is not needed past this point: not kept for the connection's lifetime.
        (ctx as { connectionParams?: unknown }).connectionParams = undefined;
        ctx.extra.subscriptions = 0;
        return true;
      } catch {
        return false;
      }
    },
    onClose: (ctx) => {
      const userId = ctx.extra.principal?.userId;
      if (!userId) return;
      const open = (connectionsPerUser.get(userId) ?? 1) - 1;
      if (open <= 0) connectionsPerUser.delete(userId);
      else connectionsPerUser.set(userId, open);
    },
    onSubscribe: (ctx, id, payload) => {
      const open = ctx.extra.subscriptions ?? 0;
      if (open >= limits.maxSubscriptionsPerConnection) {
        return [new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`, { extensions: { code: "QUERY_TOO_COMPLEX" } })];
      }
      const prepared = operations.prepare(payload.query);
      if (Array.isArray(prepared)) {
        const errors = prepared as GraphQLError[];
        // As over HTTP in production: no "did you mean" hints that would reveal the schema.
        return config.production ? errors.map((e) => new GraphQLError(withoutSchemaHints(e.message), { nodes: e.nodes, extensions: e.extensions })) : errors;
      }
      ctx.extra.subscriptions = open + 1;
      return {
        schema,
        document: (prepared as Exclude<typeof prepared, readonly GraphQLError[]>).document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: new WsOperationContext(ctx.extra.principal ?? null, services, logger, dataSource, ctx.extra.socket, id),
      };
    },
    onComplete: (ctx) => {
      ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
    },
    onNext: (ctx) => {
      // Back-pressure (live events are sent directly, see sendNext; this covers the rest).
      if (ctx.extra.socket.bufferedAmount > limits.maxBufferedBytes) {
        ctx.extra.socket.terminate();
      }
    },
    onError: (_ctx, _id, _payload, errors) =>
      errors.map((error) => {
        const original = error.originalError;
        if (original instanceof AppError) return new GraphQLError(original.message, { extensions: { code: original.code } });
        const code = typeof error.extensions?.code === "string" ? error.extensions.code : "GRAPHQL_VALIDATION_FAILED";
        return new GraphQLError(error.message, { extensions: { code } });
      }),
  });
  const transport = serveGraphQLWs(wsServer, server, (socket) => ({ socket, subscriptions: 0 }), logger);
  return {
    async close() {
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
    else this.waiting.set(socket, { resumes: new Set([resume]), since: Date.now() });
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
        socket.terminate();
      }
    }
    if (this.waiting.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}
