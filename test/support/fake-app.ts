import http, { type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request the fake app received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the fake app answers. */
export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Never answer (a hung provider). */
  hang?: boolean;
}

/** A local HTTP server standing in for a third-party app's API; records what it receives. */
export class FakeApp {
  readonly requests: ReceivedRequest[] = [];
  private server!: Server;
  private readonly open = new Set<http.ServerResponse>();
  url = "";

  constructor(public handler: (request: ReceivedRequest) => FakeResponse = () => ({ status: 200, body: {} })) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(request);
        const answer = this.handler(request);
        if (answer.hang) {
          this.open.add(res);
          return;
        }
        const text = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        res.end(text);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
