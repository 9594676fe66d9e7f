import type { Server } from "node:http";
import { GraphQLError, specifiedRules, validate, type GraphQLSchema } from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Config } from "../config";
import { createRequestContext } from "../context";
import { AppError } from "../errors/app-error";
import { queryLimitsRule } from "../graphql/limits";
import type { Logger } from "../logging/logger";
import type { Services } from "../services";

type ConnectionExtra = { socket: WebSocket; principal?: Principal; subscriptions: number } & Record<PropertyKey, unknown>;

/**
 * graphql-ws on the same HTTP server and path as queries. A connection authenticates in
 * connection_init with the same bearer tokens as HTTP (no init in time: 4408; bad token: 4403);
 * the same depth/alias/cost limits apply to its operations; limits bound message size,
 * subscriptions per connection and connections per user; a client that stops reading is
 * disconnected once its send buffer passes a bound, so it cannot grow the server's memory.
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
  const rules = [...specifiedRules, queryLimitsRule(config.graphql)];
  const connectionsPerUser = new Map<string, number>();
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: limits.maxMessageBytes });

  const cleanup = useServer<Record<string, unknown>, ConnectionExtra>(
    {
      schema,
      connectionInitWaitTimeout: limits.initTimeoutMs,
      validate: (s, document) => validate(s, document, rules),
      context: (ctx) => createRequestContext(dataSource, services, ctx.extra.principal ?? null, logger, "ws"),
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
      onSubscribe: (ctx) => {
        const open = ctx.extra.subscriptions ?? 0;
        if (open >= limits.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`, { extensions: { code: "QUERY_TOO_COMPLEX" } })];
        }
        ctx.extra.subscriptions = open + 1;
        return undefined;
      },
      onComplete: (ctx) => {
        ctx.extra.subscriptions = Math.max(0, (ctx.extra.subscriptions ?? 1) - 1);
      },
      onNext: (ctx) => {
        // Back-pressure: a subscriber that stopped reading is cut off, not buffered for.
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
    },
    wsServer,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
