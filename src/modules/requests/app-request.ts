import { badInput, providerUnavailable } from "../../errors/app-error";
import type { AppDefinition } from "../apps/app-definition";
import { renderAuth } from "../apps/auth-template";
import { makeRedactor } from "./redact";

/** A request to send to an app's API with an account's credentials. */
export interface AppRequestInput {
  method: string;
  /** A path under the app's API base URL (never an absolute URL). */
  path: string;
  query?: Record<string, string> | null;
  headers?: Record<string, string> | null;
  body?: string | null;
}

/** What the app answered, with every credential redacted. */
export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
}

/** Limits of a request through an account. */
export interface RequestLimits {
  timeoutMs: number;
  maxRequestBytes: number;
  maxResponseBytes: number;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]);
// Headers a caller may never set: the account's auth is the service's to add, and hop-by-hop or
// routing headers would let a caller steer the request elsewhere.
const FORBIDDEN_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "cookie",
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "keep-alive",
  "x-forwarded-for",
  "x-forwarded-host",
  "forwarded",
]);
const DROPPED_RESPONSE_HEADERS = new Set(["set-cookie", "connection", "transfer-encoding", "keep-alive"]);

/**
 * Resolves a caller's path against the app's API base URL, refusing anything that would leave the
 * app's own hosts: absolute URLs, scheme-relative or backslash tricks, and dot segments that climb
 * out of the base path.
 */
export function resolveAppUrl(app: AppDefinition, apiBaseUrl: string, path: string): URL {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\") || /[\s\x00-\x1f]/.test(path)) {
    throw badInput("path must be a path under the app's API base URL, starting with a single /.", "path");
  }
  const base = new URL(apiBaseUrl);
  const url = new URL(base.href.replace(/\/+$/, "") + path);
  const allowedHosts = new Set([base.host, ...(app.allowedHosts ?? [])]);
  if (url.protocol !== base.protocol || !allowedHosts.has(url.host)) throw badInput("The request would leave the app's API hosts.", "path");
  const basePath = base.pathname.replace(/\/+$/, "");
  if (!url.pathname.startsWith(basePath)) throw badInput("The path climbs out of the app's API base URL.", "path");
  return url;
}

/**
 * Sends a request to an app with an account's credentials added by the service: only to the
 * app's own hosts, no redirects followed, caller auth headers ignored, size and time limits, and
 * every credential redacted from what comes back.
 */
export async function sendAppRequest(
  app: AppDefinition,
  apiBaseUrl: string,
  credentials: Readonly<Record<string, string>>,
  input: AppRequestInput,
  limits: RequestLimits,
): Promise<AppResponse> {
  const method = input.method.toUpperCase();
  if (!METHODS.has(method)) throw badInput(`Method ${input.method.slice(0, 10)} is not allowed.`, "method");
  const url = resolveAppUrl(app, apiBaseUrl, input.path);
  for (const [name, value] of Object.entries(input.query ?? {})) url.searchParams.set(name, value);
  const auth = renderAuth(app.auth, credentials);
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  const authNames = new Set(Object.keys(auth.headers).map((h) => h.toLowerCase()));
  const headers: Record<string, string> = { "user-agent": "connected-accounts" };
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower) || authNames.has(lower)) continue;
    headers[lower] = value;
  }
  Object.assign(headers, auth.headers);
  const body = input.body ?? null;
  if (body !== null && Buffer.byteLength(body) > limits.maxRequestBytes) throw badInput(`The request body exceeds ${limits.maxRequestBytes} bytes.`, "body");
  const redact = makeRedactor([...Object.values(credentials), ...Object.values(auth.headers), ...Object.values(auth.query)]);

  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: method === "GET" || method === "HEAD" ? undefined : (body ?? undefined),
      redirect: "manual",
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch {
    throw providerUnavailable(`${app.name} did not answer in time.`);
  }
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > limits.maxResponseBytes) {
        chunks.push(value.subarray(0, limits.maxResponseBytes - size));
        truncated = true;
        await reader.cancel();
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    throw providerUnavailable(`${app.name} did not finish answering in time.`);
  }
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = redact(value);
  });
  return { status: response.status, headers: responseHeaders, body: redact(Buffer.concat(chunks).toString("utf8")), truncated };
}
