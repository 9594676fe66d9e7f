/**
 * The floor for subscriptions (issue #8), run as its own process like the service: a bare `ws`
 * server on node:http that keeps idle connections, answers a graphql-ws `connection_init` with
 * its ack, and on `POST /broadcast` (body: the frame) sends that frame to every open socket.
 * Prints its port on stdout.
 */
import http from "node:http";
import { WebSocketServer } from "ws";

const server = http.createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/broadcast") {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    // A string, as the service sends: ws encodes it per send, exactly like graphql-ws's frames.
    const frame = Buffer.concat(chunks).toString("utf8");
    let sent = 0;
    for (const socket of wss.clients) {
      if (socket.readyState === socket.OPEN) {
        socket.send(frame);
        sent++;
      }
    }
    res.end(String(sent));
  });
});
const wss = new WebSocketServer({ server, path: "/graphql" });
wss.on("connection", (socket) => {
  socket.on("error", () => socket.terminate());
  // The graphql-ws handshake at its barest (the subscribe baseline): an ack for the init, and a
  // subscribe kept as nothing more than the socket it came on (a broadcast reaches it).
  socket.on("message", (data: Buffer) => {
    if (data.includes('"connection_init"')) socket.send('{"type":"connection_ack"}');
  });
});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => process.exit(0));
