import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import path from "node:path";

/**
 * A real OAuth 2 / OpenID provider (oidc-provider, run as a child process by
 * test/fixtures/oauth-provider/server.mjs) and its test controls.
 *
 * ```ts
 * const idp = await OAuthProviderFixture.start({
 *   clients: [{ clientId: "ca", clientSecret: "secret", redirectUris: [callbackUrl] }],
 * });
 * const redirect = await idp.authorize(authorizationUrlBuiltByTheService, { loginHint: "alice" });
 * // redirect.searchParams.get("code"), .get("state"): hand them to the service's callback
 * await idp.setTokenMode({ token: "status", status: 503, count: 1 }); // next refresh answers 503
 * await idp.stop();
 * ```
 *
 * Behaviour worth knowing: every authorization_code exchange returns a refresh token (no
 * offline_access needed); with rotation on (the default) every refresh returns a new refresh
 * token, a used one is refused with invalid_grant and that reuse revokes the whole grant (the
 * newest refresh token stops working too); with rotation off the response repeats the same
 * refresh token. Access tokens are opaque and work at the userinfo endpoint only if the grant
 * includes `openid`.
 */

const SERVER_SCRIPT = path.resolve(__dirname, "../fixtures/oauth-provider/server.mjs");
const START_TIMEOUT_MS = 20_000;
const STDERR_KEEP_CHARS = 16_000;

export interface OAuthFixtureClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  /** How the client authenticates at the token, revocation and introspection endpoints (default client_secret_post). */
  authMethod?: "client_secret_post" | "client_secret_basic";
  /** Default ["authorization_code", "refresh_token"]. */
  grantTypes?: Array<"authorization_code" | "refresh_token">;
}

export interface OAuthFixtureOptions {
  clients: OAuthFixtureClient[];
  /** Default true: each refresh returns a new refresh token and refuses (and punishes) reuse of an old one. */
  rotateRefreshTokens?: boolean;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Scopes the provider knows (default openid profile email offline_access read write); unknown scopes are ignored. */
  scopes?: string[];
  /** accountId (what `login_hint` names) → identity; default one account "alice" (sub "alice"). */
  accounts?: Record<string, { sub: string; name?: string; email?: string }>;
}

/** How the token endpoint answers refresh_token grants (every grant with `allGrants`). */
export type OAuthTokenMode =
  | { token: "normal" }
  | {
      token: "hang";
      /** Apply to the next N matching token requests, then back to normal (default: until changed). */
      count?: number;
      allGrants?: boolean;
    }
  | {
      /** Answer normally (rotating refresh tokens as usual), after `ms`. */
      token: "delay";
      ms: number;
      count?: number;
      allGrants?: boolean;
    }
  | {
      token: "status";
      status: number;
      /** JSON body; default {"error":"temporarily_unavailable"} for 429/5xx, {"error":"invalid_request"} otherwise. */
      body?: Record<string, unknown>;
      /** Value of a Retry-After header. */
      retryAfter?: string;
      count?: number;
      allGrants?: boolean;
    };

export interface OAuthFixtureStats {
  /** Every POST to the token endpoint, whatever the grant or the mode. */
  tokenRequests: number;
  refreshRequests: number;
  authorizationCodeRequests: number;
  revocationRequests: number;
  /** The refresh_token parameter of every refresh request, in order of arrival. */
  refreshTokensSeen: string[];
}

interface StartLine {
  issuer: string;
  port: number;
  controlPort: number;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
}

/** A PKCE pair: send `challenge` (method S256) with the authorization request, `verifier` with the code. */
export function pkcePair(): { verifier: string; challenge: string; method: "S256" } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url"), method: "S256" };
}

export class OAuthProviderFixture {
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly userinfoUrl: string;
  readonly revocationUrl: string;
  readonly introspectionUrl: string;
  readonly controlUrl: string;
  private exited: Promise<void>;
  private hasExited = false;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly stderr: { text: string },
    readonly issuer: string,
    readonly port: number,
    controlPort: number,
    discovery: Discovery,
  ) {
    this.controlUrl = `http://127.0.0.1:${controlPort}/control`;
    this.authorizationUrl = discovery.authorization_endpoint;
    this.tokenUrl = discovery.token_endpoint;
    this.userinfoUrl = discovery.userinfo_endpoint;
    this.revocationUrl = discovery.revocation_endpoint;
    this.introspectionUrl = discovery.introspection_endpoint;
    this.exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    }).then(() => {
      this.hasExited = true;
    });
  }

  /** Spawns the provider and waits (at most 20 s) until it listens; rejects with its stderr on failure. */
  static async start(options: OAuthFixtureOptions): Promise<OAuthProviderFixture> {
    const config = {
      clients: options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: client.redirectUris,
        grant_types: client.grantTypes ?? ["authorization_code", "refresh_token"],
        token_endpoint_auth_method: client.authMethod ?? "client_secret_post",
      })),
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      accessTokenTtl: options.accessTokenTtl ?? 3600,
      ...(options.scopes ? { scopes: options.scopes } : {}),
      ...(options.accounts ? { accounts: options.accounts } : {}),
    };
    const env: NodeJS.ProcessEnv = { ...process.env, OAUTH_FIXTURE_CONFIG: JSON.stringify(config) };
    delete env.OAUTH_FIXTURE_KEEP_STDIN; // the fixture must die with this process
    delete env.NODE_OPTIONS; // no test-runner loaders in the child
    const child = spawn(process.execPath, [SERVER_SCRIPT], { env, stdio: ["pipe", "pipe", "pipe"] });
    const stderr = { text: "" };
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr.text = (stderr.text + chunk).slice(-STDERR_KEEP_CHARS);
    });
    child.stdin.on("error", () => undefined); // EPIPE when the child is gone

    let line: StartLine;
    try {
      line = await new Promise<StartLine>((resolve, reject) => {
        let stdout = "";
        const fail = (why: string) => {
          cleanup();
          reject(new Error(`OAuth provider fixture did not start: ${why}\n--- its stderr ---\n${stderr.text}`));
        };
        const onData = (chunk: string) => {
          stdout += chunk;
          const newline = stdout.indexOf("\n");
          if (newline < 0) return;
          cleanup();
          try {
            resolve(JSON.parse(stdout.slice(0, newline)) as StartLine);
          } catch {
            reject(new Error(`OAuth provider fixture printed something else than its start line: ${stdout.slice(0, 500)}\n--- its stderr ---\n${stderr.text}`));
          }
        };
        const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal})`);
        const onError = (error: Error) => fail(error.message);
        const timer = setTimeout(() => fail(`no start line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout.off("data", onData);
          child.off("exit", onExit);
          child.off("error", onError);
        };
        child.stdout.setEncoding("utf8");
        child.stdout.on("data", onData);
        child.once("exit", onExit);
        child.once("error", onError);
      });
      const response = await fetch(`${line.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`discovery answered ${response.status}`);
      const discovery = (await response.json()) as Discovery;
      // Nothing here should keep jest alive: a forgotten stop() still ends the child, which exits
      // when its stdin closes with this process.
      child.unref();
      child.stdout.resume();
      for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as Array<{ unref?: () => void }>) stream.unref?.();
      return new OAuthProviderFixture(child, stderr, line.issuer, line.port, line.controlPort, discovery);
    } catch (error) {
      child.kill("SIGKILL");
      throw error;
    }
  }

  /** Changes how the token endpoint answers (refresh grants only, unless `allGrants`). */
  async setTokenMode(mode: OAuthTokenMode): Promise<void> {
    await this.control("POST", "/mode", mode);
  }

  /** How the revocation endpoint answers: normally, never ("hang"), or with an error status. */
  async setRevocationMode(mode: { mode: "normal" } | { mode: "hang" } | { mode: "status"; status: number }): Promise<void> {
    await this.control("POST", "/revocation", mode);
  }

  async stats(): Promise<OAuthFixtureStats> {
    return (await this.control("GET", "/stats")) as OAuthFixtureStats;
  }

  async resetStats(): Promise<void> {
    await this.control("POST", "/reset-stats");
  }

  /** Revokes every grant: every refresh token (and access token) issued so far stops working. */
  async revokeAll(): Promise<void> {
    await this.control("POST", "/revoke-all");
  }

  /** Later authorizations grant only these of the requested scopes (the others count as refused); null: all requested. */
  async grantScopes(scopes: string[] | null): Promise<void> {
    await this.control("POST", "/scopes", { grant: scopes });
  }

  /**
   * How the provider answers its interaction (login and consent): "auto" (the default) decides at
   * once, as `authorize()` needs; "page" shows a real browser a consent page with Allow and Deny,
   * every time (an earlier grant is not reused), for tests that drive a browser.
   */
  async setInteractionMode(mode: "auto" | "page"): Promise<void> {
    await this.control("POST", "/interactions", { mode });
  }

  /**
   * Drives the browser part of an authorization code flow: GETs the authorization URL, follows
   * the provider's redirects (carrying its cookies), lets the fixture log in the account named
   * by `login_hint` (appended from `options.loginHint` when the URL has none; default "alice")
   * and grant, and returns the final redirect to the client's redirect_uri (with code and state,
   * or error) WITHOUT requesting it.
   */
  async authorize(authorizationUrl: string, options: { loginHint?: string } = {}): Promise<URL> {
    let url = new URL(authorizationUrl);
    if (options.loginHint !== undefined && !url.searchParams.has("login_hint")) url.searchParams.set("login_hint", options.loginHint);
    const redirectUri = url.searchParams.get("redirect_uri");
    const target = redirectUri ? new URL(redirectUri) : undefined;
    const issuerOrigin = new URL(this.issuer).origin;
    const jar = new CookieJar();

    for (let hop = 0; hop < 10; hop += 1) {
      const response = await fetch(url, {
        redirect: "manual",
        headers: jar.header(url) ? { cookie: jar.header(url) } : {},
        signal: AbortSignal.timeout(10_000),
      });
      jar.store(url, response.headers.getSetCookie());
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) {
        const text = (await response.text()).slice(0, 1000);
        throw new Error(`authorize: ${url.href} answered ${response.status} instead of a redirect: ${text}`);
      }
      await response.body?.cancel();
      const next = new URL(location, url);
      const atRedirectUri = target !== undefined && next.origin === target.origin && next.pathname === target.pathname;
      if (atRedirectUri || next.origin !== issuerOrigin) return next;
      url = next;
    }
    throw new Error(`authorize: more than 10 redirects, last at ${url.href}`);
  }

  /** Stops the provider (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill("SIGTERM");
    const killer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    try {
      await this.exited;
    } finally {
      clearTimeout(killer);
    }
  }

  private async control(method: "GET" | "POST", route: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.controlUrl}${route}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      const state = this.hasExited ? "the fixture has exited" : "the fixture is running";
      throw new Error(`OAuth fixture control ${method} ${route} failed (${state}): ${String(error)}\n--- its stderr ---\n${this.stderr.text}`);
    }
    const result = (await response.json()) as { error?: string };
    if (!response.ok) throw new Error(`OAuth fixture control ${method} ${route}: ${response.status} ${result.error ?? ""}`);
    return result;
  }
}

/** Just enough of a browser's cookie handling for the provider's interaction and session cookies. */
class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(requestUrl: URL, setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(";").map((part) => part.trim());
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const name = pair.slice(0, equals);
      const value = pair.slice(equals + 1);
      let cookiePath = defaultPath(requestUrl.pathname);
      let expired = false;
      for (const attribute of attributes) {
        const [key, ...rest] = attribute.split("=");
        const attributeValue = rest.join("=");
        switch (key.toLowerCase()) {
          case "path":
            if (attributeValue.startsWith("/")) cookiePath = attributeValue;
            break;
          case "expires":
            if (Date.parse(attributeValue) <= Date.now()) expired = true;
            break;
          case "max-age":
            if (Number(attributeValue) <= 0) expired = true;
            break;
        }
      }
      const key = `${name};${cookiePath}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((cookie) => pathMatches(url.pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }
}

function defaultPath(requestPath: string): string {
  const slash = requestPath.lastIndexOf("/");
  return slash <= 0 ? "/" : requestPath.slice(0, slash);
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}
