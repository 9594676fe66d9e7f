import http from "node:http";
import https from "node:https";
import type { OAuthSpec } from "../apps/app-definition";

/** The client a token call authenticates as. */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** What a token endpoint granted. */
export interface TokenGrant {
  accessToken: string;
  /** Absent when the provider did not return one (keep the one we have). */
  refreshToken: string | null;
  /** Absolute expiry, when the provider said (`expires_in`). */
  expiresAt: Date | null;
  /** Granted scopes, when the provider said (`scope`); otherwise null. */
  scopes: string[] | null;
  idToken: string | null;
  /** The whole answer, for the values an app learns from it (e.g. Salesforce's instance_url). Holds the tokens: never logged, never stored as is. */
  fields: Record<string, unknown>;
}

/** How a failed token call is classified (SPEC §4). */
export type TokenFailureKind =
  /** The grant is gone: invalid_grant (after checking nobody else rotated it). */
  | "INVALID_GRANT"
  /** The OAuth client itself is rejected: invalid_client / unauthorized_client. */
  | "INVALID_CLIENT"
  /** Transient: timeouts, 5xx, 429, HTML or malformed bodies. */
  | "TRANSIENT"
  /** Any other OAuth error for this request (e.g. invalid_request, invalid_scope). */
  | "REJECTED";

/**
 * What a transient failure was: no answer before the deadline, no connection at all (DNS,
 * refused, reset, TLS), an outage answer (5xx, 429), or an answer that is not a token response.
 */
export type TransientCause = "timeout" | "unreachable" | "unavailable" | "malformed";

const TRANSIENT_SUMMARIES: Record<TransientCause, string> = {
  timeout: "The provider did not answer in time",
  unreachable: "The provider could not be reached",
  unavailable: "The provider is unavailable",
  malformed: "The provider answered with something other than a token",
};

/** A failed token call: a kind, a sanitized reason, and the provider's Retry-After if any. */
export class TokenEndpointError extends Error {
  constructor(
    readonly kind: TokenFailureKind,
    readonly reason: string,
    readonly retryAfterMs: number | null = null,
    /** For TRANSIENT failures, which one. */
    readonly transient: TransientCause | null = null,
  ) {
    super(reason);
    this.name = "TokenEndpointError";
  }

  /** One sentence for people about what went wrong (never the provider's own text). */
  get summary(): string {
    if (this.transient) return TRANSIENT_SUMMARIES[this.transient];
    return this.kind === "INVALID_CLIENT" ? "The provider rejected the OAuth client" : "The provider refused the request";
  }
}

const MAX_BODY = 64 * 1024;

// Kept-alive connections to token endpoints: the background refresher calls the same few
// providers thousands of times, and a new TLS handshake per refresh would dominate its cost. An
// idle connection is closed after 4 s, before servers commonly close theirs (Node's own default is
// 5 s): a request sent on a connection the server is closing fails (as a transient error).
const KEEP_ALIVE = { keepAlive: true, maxSockets: 64, timeout: 4000 };
const AGENTS = { "http:": new http.Agent(KEEP_ALIVE), "https:": new https.Agent(KEEP_ALIVE) };

interface FormResponse {
  status: number;
  retryAfter: string | null;
  /** At most MAX_BODY bytes of the body, as UTF-8. */
  text: string;
}

/**
 * POSTs a form on node:http(s) with one deadline over the whole exchange (connect, headers, body),
 * reading at most MAX_BODY bytes. Not fetch: undici's streams, abort signals and header objects
 * cost more per refresh than the rest of it (redirects are not followed either way).
 */
function postForm(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<FormResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const agent = AGENTS[target.protocol as keyof typeof AGENTS];
    if (!agent) return reject(new Error(`unsupported protocol ${target.protocol}`));
    const request = (target.protocol === "https:" ? https : http).request(target, {
      method: "POST",
      agent,
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error("token endpoint deadline"), { name: "TimeoutError" })), timeoutMs);
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        if (size >= MAX_BODY) return;
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on("end", () => {
        clearTimeout(timer);
        const retryAfter = response.headers["retry-after"];
        resolve({ status: response.statusCode ?? 0, retryAfter: typeof retryAfter === "string" ? retryAfter : null, text: Buffer.concat(chunks).toString("utf8").slice(0, MAX_BODY) });
      });
      response.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    request.end(body);
  });
}

/**
 * A provider's error text, safe to store and show: only the OAuth `error` code and a short,
 * printable description with anything token-like removed.
 */
export function sanitizeProviderError(error: string, description?: unknown): string {
  const code = error.replace(/[^a-z0-9_.-]/gi, "").slice(0, 60) || "error";
  if (typeof description !== "string" || !description.trim()) return code;
  const clean = description
    .replace(/[^\x20-\x7e]/g, " ")
    .replace(/[A-Za-z0-9\-_.~+/=]{24,}/g, "[redacted]")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return `${code}: ${clean}`;
}

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 24 * 3600 * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, Math.min(date - Date.now(), 24 * 3600 * 1000)) : null;
}

/**
 * Calls an app's token endpoint (form-encoded, client_secret_post or _basic) with a deadline, and
 * classifies every failure. Used for the code exchange and for refreshes; never inside a database
 * transaction. Nothing from the request or the response body reaches an error message unsanitized.
 */
export async function callTokenEndpoint(
  oauth: Pick<OAuthSpec, "tokenUrl" | "tokenAuthMethod"> & { refreshUrl?: string },
  client: ClientCredentials,
  params: Record<string, string>,
  timeoutMs: number,
  dial: (url: string) => { url: string; headers: Record<string, string> } = (url) => ({ url, headers: {} }),
): Promise<TokenGrant> {
  const body = new URLSearchParams(params);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    accept: "application/json",
    "user-agent": "connected-accounts",
  };
  if (oauth.tokenAuthMethod === "client_secret_basic") {
    const id = encodeURIComponent(client.clientId);
    const secret = encodeURIComponent(client.clientSecret);
    headers.authorization = `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
  } else {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  const target = dial(params.grant_type === "refresh_token" && oauth.refreshUrl ? oauth.refreshUrl : oauth.tokenUrl);
  let response: FormResponse;
  try {
    response = await postForm(target.url, { ...headers, ...target.headers }, body.toString(), timeoutMs);
  } catch (error) {
    const timedOut = (error as Error).name === "TimeoutError";
    throw timedOut
      ? new TokenEndpointError("TRANSIENT", "timeout: the token endpoint did not answer in time", null, "timeout")
      : new TokenEndpointError("TRANSIENT", "network: the token endpoint could not be reached", null, "unreachable");
  }
  const text = response.text;
  let json: Record<string, unknown> | null = null;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // Some providers answer form-encoded (GitHub without Accept) or HTML on outages.
    if (/^[\w.-]+=/.test(text) && !text.includes("<")) json = Object.fromEntries(new URLSearchParams(text));
  }
  const retry = retryAfterMs(response.retryAfter);
  if (response.status === 429 || response.status >= 500) {
    throw new TokenEndpointError("TRANSIENT", `http_${response.status}: the token endpoint is unavailable`, retry, "unavailable");
  }
  if (!json) throw new TokenEndpointError("TRANSIENT", `malformed: the token endpoint answered HTTP ${response.status} without JSON`, retry, "malformed");
  const error = typeof json.error === "string" ? json.error : null;
  if (error || response.status >= 400) {
    const reason = sanitizeProviderError(error ?? `http_${response.status}`, json.error_description);
    if (error === "invalid_grant") throw new TokenEndpointError("INVALID_GRANT", reason);
    if (error === "invalid_client" || error === "unauthorized_client" || response.status === 401) {
      throw new TokenEndpointError("INVALID_CLIENT", reason);
    }
    throw new TokenEndpointError("REJECTED", reason);
  }
  const accessToken = typeof json.access_token === "string" ? json.access_token : null;
  if (!accessToken) throw new TokenEndpointError("TRANSIENT", "malformed: the token response has no access_token", null, "malformed");
  const expiresIn = Number(json.expires_in);
  return {
    accessToken,
    refreshToken: typeof json.refresh_token === "string" && json.refresh_token ? json.refresh_token : null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(Date.now() + expiresIn * 1000) : null,
    scopes: typeof json.scope === "string" ? json.scope.split(/[\s,]+/).filter(Boolean) : null,
    idToken: typeof json.id_token === "string" ? json.id_token : null,
    fields: json,
  };
}
