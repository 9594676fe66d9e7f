import type { IncomingMessage, ServerResponse } from "node:http";
import { sendGraphQLError, sendRestError } from "./respond";

// What the browser-facing endpoints take. GraphQL: POST, and GET with `apollo-require-preflight`
// (CSRF prevention); REST: GET. Headers: the bearer token, the JSON body's type, the ones GraphQL
// clients send to pass CSRF prevention or to name themselves, and a request id for the logs.
const GRAPHQL_METHODS = "GET, POST, OPTIONS";
const REST_METHODS = "GET, OPTIONS";
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "accept",
  "apollo-require-preflight",
  "x-apollo-operation-name",
  "apollographql-client-name",
  "apollographql-client-version",
  "x-request-id",
].join(", ");
// A 401's challenge says why a token was refused (RFC 6750); a script reads nothing else beyond
// the CORS-safelisted headers.
const EXPOSED_HEADERS = "www-authenticate";
// Chromium caps a cached preflight at 2 hours, Firefox at 24. A longer cache cannot widen access:
// an origin taken off the list gets no Access-Control-Allow-Origin on the real answers.
const MAX_AGE_SEC = 7200;

/**
 * Which browser pages may call the API: CORS for `/graphql` and `/v1/*`, from an exact list of
 * origins (`CORS_ORIGINS`). No cookies are involved (callers send bearer tokens), so no
 * `Access-Control-Allow-Credentials`. CSRF prevention stays in Apollo's hands for everyone: an
 * allowed page's requests carry `Authorization`, which a browser always preflights anyway.
 */
export class CorsPolicy {
  private readonly origins: ReadonlySet<string>;
  private readonly anyOrigin: boolean;

  /** `origins` as config.ts validated them: exact origins, or `["*"]` for any. */
  constructor(origins: readonly string[]) {
    this.anyOrigin = origins.includes("*");
    this.origins = new Set(origins);
  }

  /** Whether a page at `origin` (the `Origin` header, exactly) may call the API. */
  allows(origin: string | undefined): origin is string {
    if (origin === undefined) return false;
    return this.anyOrigin || this.origins.has(origin);
  }

  /**
   * Whether a WebSocket handshake may go on. Browsers apply no CORS to WebSockets but always send
   * `Origin`, so with a list set, a page from elsewhere is refused at the handshake; clients that
   * send no `Origin` (servers, CLIs) are not browsers and go on. Without a list, nothing changes.
   */
  allowsUpgrade(origin: string | undefined): boolean {
    return origin === undefined || this.origins.size === 0 || this.allows(origin);
  }

  /**
   * Runs first for every request: answers a preflight to `/graphql` or `/v1/*` (and returns true:
   * the request is done), or puts the CORS headers of an allowed origin on the answer to come,
   * whatever it turns out to be (success or error, from any layer).
   */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    const methods = path === "/graphql" ? GRAPHQL_METHODS : path === "/v1" || path.startsWith("/v1/") ? REST_METHODS : undefined;
    if (!methods) return false;
    const origin = req.headers.origin;
    // The answer depends on Origin whenever a list is set, even for a request without one.
    if (this.origins.size > 0) res.setHeader("vary", "Origin");
    if (req.method === "OPTIONS" && origin !== undefined && req.headers["access-control-request-method"] !== undefined) {
      this.answerPreflight(res, path, origin, methods);
      return true;
    }
    if (this.allows(origin)) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    }
    return false;
  }

  // An allowed origin gets the full answer whatever it asked for (the browser compares); any other
  // gets 403 and no CORS header, in the endpoint's error shape (for whoever debugs it with curl).
  private answerPreflight(res: ServerResponse, path: string, origin: string, methods: string): void {
    if (!this.allows(origin)) {
      const message = "This origin may not call the API from a browser (CORS_ORIGINS).";
      if (path === "/graphql") sendGraphQLError(res, "FORBIDDEN", message);
      else sendRestError(res, { code: "FORBIDDEN", message });
      return;
    }
    res.writeHead(204, {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": methods,
      "access-control-allow-headers": ALLOWED_HEADERS,
      "access-control-max-age": String(MAX_AGE_SEC),
    });
    res.end();
  }
}
