import { CloseCode, handleProtocols, type Server } from "graphql-ws";
import WebSocket, { type WebSocketServer } from "ws";
import type { Logger } from "../logging/logger";

/**
 * Serves graphql-ws over a `ws` server, in place of graphql-ws's own `use/ws`, keeping less per
 * connection: no reference to the upgrade request, one heartbeat timer for all sockets instead of
 * an interval (and a pong listener) per socket, and sends that do not wait for the kernel (a
 * subscriber that stops reading is cut off by the buffered-bytes bound instead).
 */
export function serveGraphQLWs<E extends { socket: WebSocket }>(
  wsServer: WebSocketServer,
  server: Server<E>,
  makeExtra: (socket: WebSocket) => E,
  logger: Logger,
  keepAliveMs = 12_000,
): { dispose(): Promise<void> } {
  wsServer.options.handleProtocols = handleProtocols;
  // Sockets pinged and not yet answered: still here at the next beat, they are gone.
  const unanswered = new Set<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      if (socket.readyState !== WebSocket.OPEN) continue;
      unanswered.add(socket);
      socket.ping();
    }
  }, keepAliveMs).unref();
  function onPong(this: WebSocket): void {
    unanswered.delete(this);
  }
  function onSocketError(this: WebSocket, error: Error): void {
    logger.warn({ err: { message: error.message } }, "websocket error");
    if (this.readyState === WebSocket.OPEN) this.close(CloseCode.InternalServerError, "Internal server error");
  }

  wsServer.on("connection", (socket: WebSocket) => {
    socket.on("pong", onPong);
    // `on`, not `once`: a second error event with no listener would crash the process.
    socket.on("error", onSocketError);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState === WebSocket.OPEN) socket.send(data);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", (data: WebSocket.RawData) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error({ err: { message: error instanceof Error ? error.message : String(error) } }, "websocket message failed");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            });
          }),
      },
      makeExtra(socket),
    );
    socket.once("close", (code: number, reason: Buffer) => {
      unanswered.delete(socket);
      closed(code, String(reason)).catch(() => undefined);
    });
  });

  return {
    async dispose() {
      clearInterval(heartbeat);
      for (const socket of wsServer.clients) socket.close(1001, "Going away");
      wsServer.removeAllListeners("connection");
    },
  };
}
