import { createHash, timingSafeEqual } from "node:crypto";
import http, { type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../logging/logger";
import { sendRestError } from "./respond";

/**
 * GET /metrics in Prometheus' text format. With a token, only `Authorization: Bearer <token>` is
 * answered (compared in constant time); on the public port there is always a token, so the
 * metrics are never open to whoever can reach the API.
 */
export class MetricsEndpoint {
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly registry: Registry,
    token: string | undefined,
  ) {
    this.tokenDigest = token === undefined ? null : digest(token);
  }

  /** Whether the public port serves /metrics (only behind a token). */
  get onPublicPort(): boolean {
    return this.tokenDigest !== null;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendRestError(res, { code: "BAD_REQUEST", message: "Use GET." }, 405, { allow: "GET" });
      return;
    }
    if (this.tokenDigest && !this.authorized(req.headers.authorization)) {
      sendRestError(res, { code: "UNAUTHENTICATED", message: "Send Authorization: Bearer <METRICS_TOKEN>." }, 401, { "www-authenticate": 'Bearer realm="metrics"' });
      return;
    }
    const text = await this.registry.metrics();
    res.writeHead(200, { "content-type": this.registry.contentType, "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
    res.end(req.method === "HEAD" ? undefined : text);
  }

  private authorized(header: string | undefined): boolean {
    const match = header === undefined ? null : /^Bearer ([^\s]+)$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1]!), this.tokenDigest!);
  }

  /** The separate metrics listener (METRICS_PORT): /metrics and nothing else. */
  async listen(port: number, host: string, logger: Logger): Promise<Server> {
    const server = http.createServer((req, res) => {
      const path = (req.url ?? "/").split("?")[0];
      const work = path === "/metrics" ? this.handle(req, res) : Promise.resolve(sendRestError(res, { code: "NOT_FOUND", message: "Only /metrics is served here." }));
      work.catch((error: unknown) => {
        logger.error({ err: error }, "metrics scrape failed");
        if (!res.headersSent) sendRestError(res, { code: "INTERNAL", message: "The metrics could not be collected." });
        else res.destroy();
      });
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    return server;
  }
}

// Equal-length inputs for timingSafeEqual whatever the token's length.
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
