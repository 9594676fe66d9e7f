import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { RegisterOAuthClientDocument } from "../operations/generated";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { OAuthClientEntity, OAuthClientHealthEntity } from "../src/modules/oauth/oauth-client.entity";
import { buildAccount, buildTeam } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

const APP = "slow-oauth";
const CLIENT = { clientId: "slow-client", clientSecret: "slow-client-secret-canary-9a8b7c" };

/**
 * A provider token endpoint that rotates refresh tokens (a reused one is refused with
 * invalid_grant and counted), answers after `latencyMs` (or `slowMs` for refresh tokens starting
 * with "slow-"), and records how many calls were open at once and when each was answered.
 */
class RotatingEndpoint {
  latencyMs = 20;
  slowMs = 1000;
  private readonly used = new Set<string>();
  private issued = 0;
  private server!: http.Server;
  open = 0;
  maxOpen = 0;
  duplicates = 0;
  answered: Array<{ token: string; at: number }> = [];
  url = "";

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.open++;
        this.maxOpen = Math.max(this.maxOpen, this.open);
        const token = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("refresh_token") ?? "";
        const reused = this.used.has(token);
        if (reused) this.duplicates++;
        this.used.add(token);
        const body = reused
          ? { error: "invalid_grant" }
          : { access_token: `at-${++this.issued}`, refresh_token: `rt-${this.issued}`, token_type: "Bearer", expires_in: 3600, scope: "read" };
        setTimeout(() => {
          this.open--;
          this.answered.push({ token, at: Date.now() });
          res.writeHead(reused ? 400 : 200, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        }, token.startsWith("slow-") ? this.slowMs : this.latencyMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  reset(): void {
    this.maxOpen = 0;
    this.duplicates = 0;
    this.answered = [];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let endpoint: RotatingEndpoint;
let services: TestService[];

beforeAll(async () => {
  endpoint = await new RotatingEndpoint().start();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ca-apps-")), "apps.json");
  fs.writeFileSync(
    file,
    JSON.stringify([
      {
        slug: APP,
        name: "Slow OAuth",
        description: "A token endpoint with latency.",
        authType: "OAUTH2",
        categories: ["testing"],
        apiBaseUrl: endpoint.url,
        oauth: { authorizationUrl: `${endpoint.url}/authorize`, tokenUrl: `${endpoint.url}/token`, defaultScopes: ["read"], scopeSeparator: " ", pkce: true, tokenAuthMethod: "client_secret_post", refreshable: true },
        fields: [],
        auth: { headers: { Authorization: "Bearer {{oauth_access_token}}" } },
      },
    ]),
  );
  const env = {
    APP_CATALOG_EXTRA_FILE: file,
    OAUTH_CLIENTS: JSON.stringify({ [APP]: CLIENT }),
    REFRESHER_INTERVAL_MS: "0",
    REFRESHER_CONCURRENCY: "4",
    PROVIDER_TIMEOUT_MS: "3000",
    REFRESH_LEASE_MS: "8000",
  };
  const first = await startTestService(env);
  // The second instance shares the first one's database (the SQLite file, or the MariaDB test database).
  const shared: Record<string, string> = first.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(first.dataSource.options.database) } : {};
  services = [first, await startTestService({ ...env, ...shared })];
}, 60_000);
afterAll(async () => {
  for (const service of services ?? []) await service.close();
  await endpoint?.stop();
});

const accounts = () => services[0]!.dataSource.getRepository(AccountEntity);

/** `count` OAuth accounts of the slow app, due now (oldest first in the order given), each with its own refresh token. */
async function dueAccounts(workspaceId: string, tokens: string[], extra: Partial<AccountEntity> = {}): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, token] of tokens.entries()) {
    const account = await buildAccount(services[0]!, { workspaceId, owner: null, appSlug: APP, credentials: { oauth_access_token: `old-${token}`, oauth_refresh_token: token }, fingerprint: false });
    await accounts().update({ id: account.id }, { scopes: '["read"]', expiresAt: new Date(Date.now() + 60_000), nextRefreshAt: new Date(Date.now() - 60_000 + i), ...extra });
    ids.push(account.id);
  }
  return ids;
}

describe("background refresher", () => {
  it("keeps its concurrency of provider calls in flight: one slow call does not hold back the others", async () => {
    const team = await buildTeam(services[0]!);
    const tag = Math.random().toString(36).slice(2, 8);
    const tokens = [`slow-${tag}`, ...Array.from({ length: 29 }, (_, i) => `fast-${tag}-${i}`)];
    await dueAccounts(team.workspace.id, tokens);
    endpoint.reset();
    expect(await services[0]!.refresher.sweep({ workspaceId: team.workspace.id })).toBe(30);
    expect(endpoint.duplicates).toBe(0);
    expect(endpoint.answered).toHaveLength(30);
    // Never more calls at once than the concurrency, and as many as that while the slow one ran:
    // all 29 others (29 × 20 ms over 3 slots ≈ 200 ms) were answered before the slow one (1 s).
    expect(endpoint.maxOpen).toBe(4);
    expect(endpoint.answered.at(-1)!.token).toBe(`slow-${tag}`);
    const rows = await accounts().findBy({ workspaceId: team.workspace.id });
    expect(rows.every((a) => a.version === 2 && a.healthStatus === "HEALTHY" && a.leaseOwner === null && a.refreshStartedAt === null)).toBe(true);
  });

  it("two instances sweeping the same due accounts exchange each refresh token exactly once", async () => {
    const team = await buildTeam(services[0]!);
    const tag = Math.random().toString(36).slice(2, 8);
    const ids = await dueAccounts(team.workspace.id, Array.from({ length: 40 }, (_, i) => `fast-${tag}-${i}`));
    endpoint.reset();
    const attempted = await Promise.all(services.map((s) => s.refresher.sweep({ workspaceId: team.workspace.id })));
    expect(attempted[0]! + attempted[1]!).toBe(40);
    expect(endpoint.duplicates).toBe(0);
    expect(endpoint.answered).toHaveLength(40);
    for (const id of ids) expect(await accounts().findOneByOrFail({ id })).toMatchObject({ version: 2, healthStatus: "HEALTHY", leaseOwner: null });
    // Each account now holds a new, distinct refresh token.
    const refreshTokens = await Promise.all(ids.map(async (id) => (await services[0]!.services.vault.open(services[0]!.dataSource, await accounts().findOneByOrFail({ id }))).oauth_refresh_token));
    expect(new Set(refreshTokens).size).toBe(40);
    expect(refreshTokens.every((t) => t?.startsWith("rt-"))).toBe(true);
  });

  it("writes a client's health only when its standing changes", async () => {
    const team = await buildTeam(services[0]!);
    const client = dataOf(await services[0]!.call(team.admin.userId, RegisterOAuthClientDocument, { input: { workspaceId: team.workspace.id, appSlug: APP, ...CLIENT } })).registerOAuthClient;
    const clients = services[0]!.dataSource.getRepository(OAuthClientEntity);
    const tag = Math.random().toString(36).slice(2, 8);
    const [id] = await dueAccounts(team.workspace.id, [`fast-${tag}-a`], { oauthClientId: client.id });
    const before = await clients.findOneByOrFail({ id: client.id });
    await services[0]!.refresher.sweep({ workspaceId: team.workspace.id });
    expect((await accounts().findOneByOrFail({ id })).version).toBe(2);
    // ACTIVE before and after: no write.
    expect(await clients.findOneByOrFail({ id: client.id })).toEqual(before);

    // Flagged (e.g. by another instance): the next success clears the flag.
    await clients.update({ id: client.id }, { status: "MISCONFIGURED", lastError: "invalid_client" });
    await accounts().update({ id }, { nextRefreshAt: new Date(Date.now() - 1000) });
    await services[0]!.refresher.sweep({ workspaceId: team.workspace.id });
    expect(await clients.findOneByOrFail({ id: client.id })).toMatchObject({ status: "ACTIVE", lastError: null });
  });

  it("clears a default client's flag on the next success, even from an account that was healthy", async () => {
    const team = await buildTeam(services[0]!);
    const health = services[0]!.dataSource.getRepository(OAuthClientHealthEntity);
    await health.upsert({ appSlug: APP, status: "MISCONFIGURED", lastError: "invalid_client", updatedAt: new Date() }, ["appSlug"]);
    // The flags of default clients are read in a snapshot at most 2 s old.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const tag = Math.random().toString(36).slice(2, 8);
    await dueAccounts(team.workspace.id, [`fast-${tag}-b`]);
    await services[0]!.refresher.sweep({ workspaceId: team.workspace.id });
    expect(await health.findOneByOrFail({ appSlug: APP })).toMatchObject({ status: "ACTIVE", lastError: null });
  });
});
