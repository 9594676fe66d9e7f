import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { StartOAuthConnectDocument, StartOAuthReconnectDocument } from "../../operations/generated";
import { dataOf } from "./graphql-client";
import { OAuthProviderFixture } from "./oauth-provider";
import { startTestService, type TestService } from "./test-service";
import { mariadbUrl } from "./test-database";
import { TEST_AUDIENCE, TEST_ISSUER, testIssuerKeys } from "./tokens";

/** The app slug the tests connect: an OAuth app whose provider is the local oidc-provider fixture. */
export const TEST_APP = "test-oidc";
export const CLIENT_ID = "connected-accounts-test";
export const CLIENT_SECRET = "client-secret-canary-0f1e2d3c4b5a";
export const RETURN_URL = "http://frontend.test/connected";

/**
 * A free loopback port (so the service's callback URL is known before it starts), taken below
 * Linux's ephemeral range (32768-60999): a port the kernel handed out and we closed again can be
 * given to any outgoing connection of the parallel test workers before the service binds it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const server = net.createServer();
    const bound = await new Promise<boolean>((resolve) => {
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => resolve(true));
    });
    if (!bound) continue;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
  throw new Error("no free loopback port below the ephemeral range");
}

/** Writes the extra catalog file describing the fixture as an OAuth app. */
export function writeTestApp(provider: OAuthProviderFixture): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ca-apps-")), "apps.json");
  const app = {
    slug: TEST_APP,
    name: "Test OIDC",
    description: "The local oidc-provider the test suite runs.",
    authType: "OAUTH2",
    categories: ["testing"],
    apiBaseUrl: provider.issuer,
    oauth: {
      authorizationUrl: provider.authorizationUrl,
      tokenUrl: provider.tokenUrl,
      revocationUrl: provider.revocationUrl,
      defaultScopes: ["openid", "profile", "read"],
      scopeSeparator: " ",
      pkce: true,
      tokenAuthMethod: "client_secret_post",
      identity: { url: provider.userinfoUrl, idField: "sub", nameField: "name" },
      refreshable: true,
    },
    fields: [],
    auth: { headers: { Authorization: "Bearer {{oauth_access_token}}" } },
  };
  fs.writeFileSync(file, JSON.stringify([app]));
  return file;
}

/** Starts the provider fixture and a service configured to use it (the service's port fixed up front). */
export async function startOAuthWorld(options: { rotateRefreshTokens?: boolean; env?: Record<string, string>; instances?: number; accessTokenTtl?: number } = {}) {
  const ports = await Promise.all(Array.from({ length: options.instances ?? 1 }, () => freePort()));
  const provider = await OAuthProviderFixture.start({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ports.map((p) => `http://127.0.0.1:${p}/oauth/callback`) }],
    rotateRefreshTokens: options.rotateRefreshTokens ?? true,
    accessTokenTtl: options.accessTokenTtl,
    accounts: { alice: { sub: "alice", name: "Alice Example", email: "alice@example.test" }, bob: { sub: "bob", name: "Bob Example" } },
  });
  const appsFile = writeTestApp(provider);
  const envFor = (port: number) => ({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    APP_CATALOG_EXTRA_FILE: appsFile,
    OAUTH_CLIENTS: JSON.stringify({ [TEST_APP]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }),
    OAUTH_RETURN_URLS: RETURN_URL,
    REFRESHER_INTERVAL_MS: "0",
    PROVIDER_TIMEOUT_MS: "1500",
    REFRESH_LEASE_MS: "6000",
    ...options.env,
  });
  const first = await startTestService(envFor(ports[0]!));
  const others: TestService[] = [];
  for (const port of ports.slice(1)) {
    // Further instances share the first one's database (the SQLite file, or the MariaDB test database).
    const shared: Record<string, string> =
      first.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(first.dataSource.options.database) } : {};
    others.push(await startTestService({ ...envFor(port), ...shared }));
  }
  return {
    provider,
    service: first,
    services: [first, ...others],
    async stop() {
      for (const s of [first, ...others]) await s.close();
      await provider.stop();
    },
  };
}

/** The result a callback page posts to its opener (parsed from the page). */
export interface CallbackResult {
  status: number;
  result: { status: string; accountId?: string; claimed?: boolean; error?: string; message?: string } | null;
  location: string | null;
  html: string;
}

/** Fetches a service URL as a browser with a cookie jar of one cookie. */
export async function browserGet(url: string, cookie?: string): Promise<Response> {
  return fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(15_000) });
}

/** Reads the result message out of a callback page. */
export async function readCallback(response: Response): Promise<CallbackResult> {
  const html = await response.text();
  const match = /var m=(\{.*?\});var o=/.exec(html);
  return {
    status: response.status,
    result: match ? (JSON.parse(match[1]!) as CallbackResult["result"]) : null,
    location: response.headers.get("location"),
    html,
  };
}

/** The browser part of a flow: open the start URL, consent at the provider, come back to the callback. */
export async function runBrowserFlow(
  provider: OAuthProviderFixture,
  authorizationUrl: string,
  options: { loginHint?: string; tamper?: (callback: URL) => URL; cookie?: (cookie: string) => string | undefined } = {},
) {
  const start = await browserGet(authorizationUrl);
  const providerUrl = start.headers.get("location");
  const setCookie = start.headers.get("set-cookie") ?? "";
  const cookie = setCookie.split(";")[0] ?? "";
  if (start.status !== 302 || !providerUrl) return { start, providerUrl: null, callbackUrl: null, callback: await readCallback(start), cookie };
  let callbackUrl = await provider.authorize(providerUrl, { loginHint: options.loginHint });
  if (options.tamper) callbackUrl = options.tamper(callbackUrl);
  const sentCookie = options.cookie ? options.cookie(cookie) : cookie;
  const callback = await readCallback(await browserGet(callbackUrl.href, sentCookie));
  return { start, providerUrl: new URL(providerUrl), callbackUrl, callback, cookie };
}

/** Connects the test app as `user` through the whole flow; returns the new account id. */
export async function connectTestApp(service: TestService, provider: OAuthProviderFixture, user: string, workspaceId: string, loginHint = "alice") {
  const started = dataOf(await service.call(user, StartOAuthConnectDocument, { input: { workspaceId, appSlug: TEST_APP, nickname: "Test OIDC" } }));
  const flow = await runBrowserFlow(provider, started.startOAuthConnect.authorizationUrl, { loginHint });
  if (flow.callback.result?.status !== "success") throw new Error(`connect failed: ${JSON.stringify(flow.callback.result)} ${flow.callback.html.slice(0, 300)}`);
  return flow.callback.result.accountId!;
}

/** Reconnects (or claims) an account through the whole flow. */
export async function reconnectTestApp(service: TestService, provider: OAuthProviderFixture, user: string, accountId: string, loginHint = "alice") {
  const started = await service.call(user, StartOAuthReconnectDocument, { input: { accountId } });
  if (started.errors) return { startErrors: started.errors, callback: null };
  const flow = await runBrowserFlow(provider, started.data!.startOAuthReconnect.authorizationUrl, { loginHint });
  return { startErrors: null, callback: flow.callback };
}

/**
 * The environment of another instance of `world`'s service in a process of its own (to be killed
 * for real): the same database (the SQLite file or the MariaDB test database), keys, issuer, test
 * app and OAuth client; background work off unless `extra` turns it on.
 */
export async function instanceEnv(world: { service: TestService; provider: OAuthProviderFixture }, keys: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const options = world.service.dataSource.options;
  const { publicPem } = await testIssuerKeys();
  return {
    ...(options.type === "better-sqlite3" ? { SQLITE_PATH: String(options.database) } : { DATABASE_URL: mariadbUrl() }),
    DB_MIGRATE: "false",
    ENCRYPTION_KEYS: keys,
    AUTH_PUBLIC_KEY: publicPem,
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    DEV_TOKENS: "false",
    APP_CATALOG_EXTRA_FILE: writeTestApp(world.provider),
    OAUTH_CLIENTS: JSON.stringify({ [TEST_APP]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }),
    REFRESHER_INTERVAL_MS: "0",
    WEBHOOK_POLL_MS: "0",
    RETENTION_PURGE_INTERVAL_MS: "0",
    DELETION_SWEEP_MS: "0",
    ...extra,
  };
}
