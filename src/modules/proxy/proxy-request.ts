import { AppError, badInput, providerUnavailable } from "../../errors/app-error";
import { NO_CONNECTION_VALUES, authConnection, fillRequestPath } from "../apps/app-connection";
import type { AppDefinition, ConnectionValues } from "../apps/app-definition";
import { renderAuth } from "../apps/auth-template";
import type { JsonBounds } from "../../validation/json";
import { makeRedactor } from "./redact";
import { metrics } from "../../observability/metrics";
import { observeProviderCall } from "../../observability/provider-calls";

/** Headers or query parameters of a request: a flat object of strings. */
export const STRING_MAP_BOUNDS: JsonBounds = { maxDepth: 1, maxBytes: 64 * 1024, stringValues: true };

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

// A header name is an RFC 9110 token.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// A header value may not hold control characters other than tab (CR and LF would split the
// request), nor anything beyond Latin-1, which HTTP/1.1 cannot carry.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const BAD_HEADER_VALUE = /[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be refused
const CONTROL = /[\x00-\x1f\x7f]/;
// Overlong UTF-8 for ASCII ("%c0%ae" is a dot to some decoders): never valid, so never needed.
const OVERLONG = /%c[01]|%e0%[89]|%f0%8/i;

// Percent-escapes decoded byte by byte (as Latin-1): exact for what the checks look for (dots,
// slashes, control characters), which UTF-8 never hides inside a multi-byte character.
const decodeBytes = (text: string) => text.replace(/%([0-9a-fA-F]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const isDotSegment = (segment: string) => {
  // Path parameters (`..;x`) count: some servers drop them before resolving dot segments.
  const bare = segment.split(";", 1)[0];
  return bare === "." || bare === "..";
};

/**
 * Refuses (BAD_USER_INPUT, field `path`) a request path that could leave the base path it is
 * appended to, whatever the server behind does with it: anything but a single leading `/`,
 * backslashes, whitespace and control characters, and `.` or `..` segments plain or
 * percent-encoded in any case, once or several times over (`%2e%2e`, `%2E.`, `..%2f`,
 * `%252e%252e`), or with a path parameter (`..;`). An encoded slash inside a segment
 * (`group%2Fproject`) is kept: some APIs name objects that way.
 */
export function checkRequestPath(path: string): void {
  if (typeof path !== "string" || !path.startsWith("/") || path.startsWith("//") || path.includes("\\") || /\s/.test(path) || CONTROL.test(path)) {
    throw badInput("path must be a path under the app's API base URL, starting with a single /.", "path");
  }
  if (OVERLONG.test(path)) throw badInput("path holds an invalid (overlong) UTF-8 escape.", "path");
  let current = path.split(/[?#]/, 1)[0]!;
  // Decoded again until nothing changes (at most 3 times): a server or proxy that decodes once
  // more must not find a dot segment either.
  for (let round = 0; ; round++) {
    if (CONTROL.test(current)) throw badInput("path must not hold control characters, plain or percent-encoded.", "path");
    if (current.split(/[/\\]/).some(isDotSegment)) throw badInput("path must not hold . or .. segments, plain or percent-encoded.", "path");
    const next = decodeBytes(current);
    if (next === current || round === 3) break;
    current = next;
  }
}

/** Whether `pathname` is `basePath` or below it: a prefix that ends at a segment boundary. */
export function isUnderPath(pathname: string, basePath: string): boolean {
  const base = basePath.replace(/\/+$/, "");
  return base === "" || pathname === base || pathname.startsWith(`${base}/`);
}

/**
 * Resolves a caller's path against the app's API base URL, refusing anything that would leave the
 * app's own hosts or its base path: absolute URLs, scheme-relative or backslash tricks, dot
 * segments in any encoding (`checkRequestPath`), and, as a last check on the resolved URL, a path
 * that is not the base path or below it at a segment boundary (`/v1evil` is not under `/v1`).
 */
export function resolveAppUrl(app: AppDefinition, apiBaseUrl: string, path: string): URL {
  checkRequestPath(path);
  const base = new URL(apiBaseUrl);
  const basePath = base.pathname.replace(/\/+$/, "");
  const url = new URL(`${base.protocol}//${base.host}${basePath}${path}`);
  const allowedHosts = new Set([base.host, ...(app.allowedHosts ?? [])]);
  if (url.protocol !== base.protocol || !allowedHosts.has(url.host)) throw badInput("The request would leave the app's API hosts.", "path");
  if (!isUnderPath(url.pathname, basePath)) throw badInput("The path climbs out of the app's API base URL.", "path");
  return url;
}

function checkStringMap(record: unknown, field: "query" | "headers"): Record<string, string> {
  if (record === null || record === undefined) return {};
  if (typeof record !== "object" || Array.isArray(record)) throw badInput(`${field} must be an object of strings.`, field);
  for (const [name, value] of Object.entries(record)) {
    if (typeof value !== "string") throw badInput(`${field}.${name.slice(0, 60)} must be a string, not ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}.`, field);
  }
  return record as Record<string, string>;
}

/** Why a header cannot be sent, or null when it can. Never shows the value (it may be a secret). */
export function headerProblem(name: string, value: string): string | null {
  if (!HEADER_NAME.test(name)) return `"${name.slice(0, 60).replace(/[^\x20-\x7e]/g, "?")}" is not a valid header name`;
  if (BAD_HEADER_VALUE.test(value)) return `the value of header ${name} holds a line break, a control character or a character beyond Latin-1`;
  return null;
}

/**
 * Refuses (BAD_USER_INPUT naming the field) a request that cannot be sent as it is: a method other
 * than GET, POST, PUT, PATCH, DELETE or HEAD; a path that could leave its base path; query or
 * header values that are not strings; header names that are not tokens, or values with CR, LF,
 * NUL or other control characters; a body over the limit. Checked when an HTTP request step is
 * stored, and again when any request is sent (after `{{env.X}}` substitution). Returns the method.
 */
export function checkAppRequest(input: AppRequestInput, maxRequestBytes: number): string {
  const method = typeof input.method === "string" ? input.method.toUpperCase() : "";
  if (!METHODS.has(method)) throw badInput(`method must be one of ${[...METHODS].join(", ")}.`, "method");
  checkRequestPath(input.path);
  checkStringMap(input.query, "query");
  for (const [name, value] of Object.entries(checkStringMap(input.headers, "headers"))) {
    const problem = headerProblem(name, value);
    if (problem) throw badInput(`headers: ${problem}.`, "headers");
  }
  if (input.body !== null && input.body !== undefined) {
    if (typeof input.body !== "string") throw badInput("body must be a string.", "body");
    if (Buffer.byteLength(input.body) > maxRequestBytes) throw badInput(`The request body exceeds ${maxRequestBytes} bytes.`, "body");
  }
  return method;
}

/**
 * What to tell the caller when fetch fails: a deadline that passed is "did not answer in time";
 * anything else (DNS failure, refused or reset connection, TLS failure) is "could not be reached".
 * Never the error's own text, which can carry the URL (and a credential in its query).
 */
export function fetchFailure(error: unknown): "timeout" | "unreachable" {
  const name = typeof error === "object" && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === "TimeoutError" || name === "AbortError" ? "timeout" : "unreachable";
}

/** Options of sendAppRequest beyond its limits. */
export interface SendOptions {
  /** More secrets to redact from the answer (a step run's secret environment variables). */
  secrets?: readonly string[];
  /** The connection's parameters and learned values, for auth templates that use them (e.g. a tenant id header); not secret. */
  connection?: ConnectionValues;
  /** Where the call really goes (tests: a loopback stand-in for the app's host). */
  dial?: (url: string) => { url: string; headers: Record<string, string> };
}

/**
 * Sends a request to an app with an account's credentials added by the service: only to the
 * app's own hosts and below its base path, no redirects followed, caller auth headers ignored,
 * size and time limits, and every credential redacted from what comes back (in any common
 * encoding, and before the answer is cut at the size limit, so that a secret straddling the cut
 * is not half shown).
 */
export async function sendAppRequest(
  app: AppDefinition,
  apiBaseUrl: string,
  credentials: Readonly<Record<string, string>>,
  input: AppRequestInput,
  limits: RequestLimits,
  options: SendOptions = {},
): Promise<AppResponse> {
  let response: AppResponse;
  try {
    response = await observeProviderCall(app.slug, "request", () => send(app, apiBaseUrl, credentials, input, limits, options), (r) => r.status < 500);
  } catch (error) {
    // Refused before sending (BAD_USER_INPUT) is not a request through the account; no answer is.
    if ((error as { code?: string }).code === "PROVIDER_UNAVAILABLE") metrics.accountRequest(app.slug, null);
    throw error;
  }
  metrics.accountRequest(app.slug, response.status);
  return response;
}

async function send(
  app: AppDefinition,
  apiBaseUrl: string,
  credentials: Readonly<Record<string, string>>,
  input: AppRequestInput,
  limits: RequestLimits,
  options: SendOptions,
): Promise<AppResponse> {
  const method = checkAppRequest(input, limits.maxRequestBytes);
  const url = resolveAppUrl(app, apiBaseUrl, fillRequestPath(app, input.path, options.connection ?? NO_CONNECTION_VALUES));
  for (const [name, value] of Object.entries(input.query ?? {})) url.searchParams.set(name, value);
  const auth = renderAuth(app.auth, credentials, authConnection(app, options.connection ?? NO_CONNECTION_VALUES));
  for (const [name, value] of Object.entries(auth.query)) url.searchParams.set(name, value);
  const authNames = new Set(Object.keys(auth.headers).map((h) => h.toLowerCase()));
  const headers: Record<string, string> = { "user-agent": "connected-accounts" };
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    if (FORBIDDEN_HEADERS.has(lower) || authNames.has(lower)) continue;
    headers[lower] = value;
  }
  // Connection-value headers (a tenant id) are defaults: the request's own wins.
  for (const [name, value] of Object.entries(auth.defaults)) if (!(name.toLowerCase() in headers) && !headerProblem(name, value)) headers[name] = value;
  for (const [name, value] of Object.entries(auth.headers)) {
    if (headerProblem(name, value)) throw new AppError("BAD_USER_INPUT", `The account's credentials cannot be sent to ${app.name} in a header; reconnect it with valid values.`, { field: "accountId" });
    headers[name] = value;
  }
  const body = input.body ?? null;
  const redact = makeRedactor([...Object.values(credentials), ...Object.values(auth.headers), ...Object.values(auth.query), ...(options.secrets ?? [])]);

  const target = options.dial ? options.dial(url.href) : { url: url.href, headers: {} };
  let response: Response;
  try {
    response = await fetch(target.url, {
      method,
      headers: { ...headers, ...target.headers },
      body: method === "GET" || method === "HEAD" ? undefined : (body ?? undefined),
      redirect: "manual",
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error) {
    throw providerUnavailable(fetchFailure(error) === "timeout" ? `${app.name} did not answer in time.` : `${app.name} could not be reached.`);
  }
  // Read past the limit by the redactor's margin: a secret that starts before the cut is then
  // read whole, recognised, and left out whole.
  const readLimit = limits.maxResponseBytes + redact.margin * 3 + 4;
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(size + value.byteLength > readLimit ? value.subarray(0, readLimit - size) : value);
      size = Math.min(size + value.byteLength, readLimit);
      if (size >= readLimit) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch (error) {
    throw providerUnavailable(fetchFailure(error) === "timeout" ? `${app.name} did not finish answering in time.` : `${app.name} closed the connection before finishing its answer.`);
  }
  const text = new TextDecoder().decode(Buffer.concat(chunks));
  const truncated = size > limits.maxResponseBytes;
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = redact(value);
  });
  return { status: response.status, headers: responseHeaders, body: truncated ? redact.cut(text, limits.maxResponseBytes) : redact(text), truncated };
}
