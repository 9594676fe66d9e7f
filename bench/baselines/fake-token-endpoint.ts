/**
 * A provider's token endpoint for the refresh benchmark (issue #8), run as its own process so its
 * CPU is neither the service's nor the bench client's. `POST /token` answers a refresh_token grant
 * after a fixed latency (FAKE_LATENCY_MS, default 50), rotating refresh tokens like real providers:
 * every answer carries a new refresh token and the one presented becomes invalid. A reuse is
 * refused with invalid_grant and counted as a duplicate refresh. Refresh tokens it has never seen
 * are accepted once (that is how the bench seeds accounts and how the baseline client sends its
 * own). `GET /stats` reports counters and timings since `POST /reset`. Prints its port on stdout.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

const LATENCY_MS = Number(process.env.FAKE_LATENCY_MS ?? 50);

/** "live": issued (or first seen) and not used yet; "used": exchanged once, any reuse is a duplicate. */
const tokens = new Map<string, "live" | "used">();
let issued = 0;

/** What the endpoint counted since its last reset (served at GET /stats). */
export interface Stats {
  requests: number;
  exchanges: number;
  duplicates: number;
  rejected: number;
  /** Wall-clock ms (Date.now()) of the first request and of the last answer since the reset. */
  firstAt: number | null;
  lastAt: number | null;
  /** Sum of the answered requests' time in this server (ms) and the most requests open at once. */
  busyMs: number;
  maxOpen: number;
}

let stats: Stats = fresh();
let open = 0;

function fresh(): Stats {
  return { requests: 0, exchanges: 0, duplicates: 0, rejected: 0, firstAt: null, lastAt: null, busyMs: 0, maxOpen: 0 };
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/stats") return answer(res, 200, { ...stats, open });
  if (req.method === "POST" && req.url === "/reset") {
    stats = fresh();
    return answer(res, 200, { ok: true });
  }
  if (req.method !== "POST" || req.url !== "/token") return answer(res, 404, { error: "not_found" });
  const arrived = Date.now();
  stats.firstAt ??= arrived;
  stats.requests++;
  open++;
  stats.maxOpen = Math.max(stats.maxOpen, open);
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const presented = form.get("refresh_token") ?? "";
    // Decided on arrival, as a provider's database would: the first of two racing uses wins.
    let status = 200;
    let body: unknown;
    if (form.get("grant_type") !== "refresh_token" || !presented || !form.get("client_id") || !form.get("client_secret")) {
      stats.rejected++;
      status = 400;
      body = { error: "invalid_request" };
    } else if (tokens.get(presented) === "used") {
      stats.duplicates++;
      status = 400;
      body = { error: "invalid_grant", error_description: "refresh token already used" };
    } else {
      tokens.set(presented, "used");
      const next = `rt-${++issued}-${Math.random().toString(36).slice(2, 10)}`;
      tokens.set(next, "live");
      stats.exchanges++;
      body = { access_token: `at-${issued}-${Math.random().toString(36).slice(2, 10)}`, token_type: "Bearer", expires_in: 3600, refresh_token: next, scope: "read" };
    }
    setTimeout(() => {
      answer(res, status, body);
      open--;
      const now = Date.now();
      stats.lastAt = now;
      stats.busyMs += now - arrived;
    }, LATENCY_MS);
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on("SIGTERM", () => process.exit(0));
