import { lookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP } from "node:net";
import { badInput } from "../../errors/app-error";

/**
 * Where webhooks may go, and the one function that sends them. A URL is checked when it is saved
 * (https, no user name or password, no fragment) and, at every attempt, the address its host
 * resolves to: never loopback, private, link-local (the cloud metadata address among them),
 * shared, multicast or reserved. The request then connects to exactly the address that was
 * checked (a DNS answer that changes between check and connect cannot move it), follows no
 * redirect, and reads at most a few KB of the answer. Outside production, `allowPrivate` lets
 * tests and local development use receivers on loopback and plain http.
 */
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["100::", 64],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/** Whether an address may receive webhooks (IPv4 inside IPv6 is judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !BLOCKED.check(address, "ipv4");
  if (family !== 6) return false;
  const lower = address.toLowerCase();
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64) reach an IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (embedded) return isPublicAddress(embedded);
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
    return isPublicAddress([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."));
  }
  return !BLOCKED.check(address, "ipv6");
}

/** Checks a URL an admin gives; answers it normalized, or BAD_USER_INPUT naming the problem. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badInput("url is not a valid absolute URL.", "url");
  }
  if (raw.length > 2048) throw badInput("url is longer than 2,048 characters.", "url");
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) throw badInput("url must use https.", "url");
  if (url.username || url.password) throw badInput("url must not hold a user name or password (the signature authenticates the service).", "url");
  if (url.hash) throw badInput("url must not have a fragment.", "url");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !allowPrivate && !isPublicAddress(host)) throw badInput("url points at a private, loopback or reserved address.", "url");
  if (!isIP(host) && !allowPrivate && (host === "localhost" || host.endsWith(".localhost") || !host.includes("."))) {
    throw badInput("url must name a public host.", "url");
  }
  return url.href;
}

/** The outcome of one attempt. */
export interface SendResult {
  status: number | null;
  /** Why there is no 2xx (a status, a timeout, a refused address), for people. */
  error: string | null;
  latencyMs: number;
  excerpt: string | null;
  retryAfterMs: number | null;
}

const MAX_ANSWER = 4096;

// Kept-alive connections per origin and checked address: a backlog to one receiver reuses one
// connection instead of a handshake per message. Keyed by the address too, so a host that now
// resolves elsewhere gets a new connection to the new (checked) address.
const agents = new Map<string, http.Agent>();
function agentFor(protocol: string, origin: string, address: string): http.Agent {
  const key = `${origin}|${address}`;
  let agent = agents.get(key);
  if (!agent) {
    if (agents.size >= 256) {
      const [oldest, old] = agents.entries().next().value as [string, http.Agent];
      old.destroy();
      agents.delete(oldest);
    }
    const options = { keepAlive: true, maxSockets: 4, timeout: 4000 };
    agent = protocol === "https:" ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** POSTs one signed message; never throws. */
export async function sendWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  let address: { address: string; family: number };
  try {
    address = isIP(host) ? { address: host, family: isIP(host) } : await lookup(host, { verbatim: true });
  } catch {
    return { status: null, error: "the host did not resolve", latencyMs: elapsed(), excerpt: null, retryAfterMs: null };
  }
  if (!allowPrivate && !isPublicAddress(address.address)) {
    return { status: null, error: "the host resolved to a private, loopback or reserved address", latencyMs: elapsed(), excerpt: null, retryAfterMs: null };
  }
  const client = target.protocol === "https:" ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "connected-accounts-webhooks", "content-length": Buffer.byteLength(body), ...headers },
        // The checked address, whatever DNS says now (the Host header and TLS name stay the URL's).
        lookup: (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
          options.all ? callback(null, [{ address: address.address, family: address.family }]) : callback(null, address.address, address.family),
        agent: agentFor(target.protocol, target.origin, address.address),
      } as http.RequestOptions,
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          if (size >= MAX_ANSWER) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_ANSWER) response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? 0;
          const text = [...Buffer.concat(chunks).toString("utf8").slice(0, 1000)].filter((c) => c >= " " || c === "\n" || c === "\t").join("");
          const ok = status >= 200 && status < 300;
          finish({
            status,
            error: ok ? null : status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`,
            latencyMs: elapsed(),
            excerpt: text === "" ? null : text,
            retryAfterMs: retryAfter(response.headers["retry-after"]),
          });
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      finish({ status: null, error: `no answer within ${timeoutMs} ms`, latencyMs: elapsed(), excerpt: null, retryAfterMs: null });
    }, timeoutMs);
    request.on("error", () => finish({ status: null, error: "the connection failed", latencyMs: elapsed(), excerpt: null, retryAfterMs: null }));
    request.end(body);
  });
}

// Retry-After in seconds or as an HTTP date; at most a day.
function retryAfter(header: string | undefined): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 24 * 3600_000) : null;
}
