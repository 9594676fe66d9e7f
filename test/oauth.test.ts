import {
  AccountDocument,
  AuditTrailDocument,
  ImportLegacyAccountsDocument,
  OAuthClientsDocument,
  ReadAccountCredentialsDocument,
  SendAccountRequestDocument,
  ShareAccountDocument,
  RegisterOAuthClientDocument,
  StartOAuthConnectDocument,
  UpdateOAuthClientDocument,
} from "../operations/generated";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { OAuthClientHealthEntity } from "../src/modules/oauth/oauth-client.entity";
import { callTokenEndpoint } from "../src/modules/oauth/token-endpoint";
import { buildTeam } from "./support/factories";
import { FakeApp, type FakeResponse } from "./support/fake-app";
import { codesOf, dataOf } from "./support/graphql-client";
import {
  CLIENT_SECRET,
  RETURN_URL,
  TEST_APP,
  browserGet,
  connectTestApp,
  readCallback,
  reconnectTestApp,
  runBrowserFlow,
  startOAuthWorld,
} from "./support/oauth-harness";

let world: Awaited<ReturnType<typeof startOAuthWorld>>;
beforeAll(async () => {
  world = await startOAuthWorld();
}, 60_000);
afterAll(async () => {
  await world?.stop();
});
beforeEach(async () => {
  await world.provider.setTokenMode({ token: "normal" });
  await world.provider.grantScopes(null);
  await world.provider.resetStats();
  // Only this suite's app: other suites sharing the MariaDB test database keep their rows.
  await world.service.dataSource.getRepository(OAuthClientHealthEntity).delete({ appSlug: TEST_APP });
});

const accounts = () => world.service.dataSource.getRepository(AccountEntity);
const expire = (id: string) => accounts().update({ id }, { expiresAt: new Date(Date.now() - 60_000), nextRefreshAt: new Date(Date.now() - 60_000) });

describe("connecting an OAuth app", () => {
  it("runs the whole flow: S256 and state at the provider, an account with scopes and identity, a token that works", async () => {
    const team = await buildTeam(world.service);
    const started = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, {
      input: { workspaceId: team.workspace.id, appSlug: TEST_APP, nickname: "My OIDC" },
    })).startOAuthConnect;
    const flow = await runBrowserFlow(world.provider, started.authorizationUrl);
    expect(flow.providerUrl?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(flow.providerUrl?.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(flow.providerUrl?.searchParams.get("state")).toMatch(/^[\w-]{40,}$/);
    expect(flow.providerUrl?.searchParams.get("redirect_uri")).toBe(`${world.service.baseUrl.replace("localhost", "127.0.0.1")}/oauth/callback`);
    expect(flow.callback.status).toBe(200);
    expect(flow.callback.result).toMatchObject({ status: "success", claimed: false });

    const accountId = flow.callback.result!.accountId!;
    const account = dataOf(await world.service.call(team.member.userId, AccountDocument, { id: accountId })).account;
    expect(account).toMatchObject({ nickname: "My OIDC", appSlug: TEST_APP, shared: "PRIVATE", owner: { id: team.member.id } });
    expect(account.scopes).toEqual(expect.arrayContaining(["openid", "read"]));
    expect(account.externalIdentity).toEqual({ id: "alice", displayName: "Alice Example" });
    expect(account.health.status).toBe("HEALTHY");
    expect(account.health.expiresAt).not.toBeNull();

    const { accessToken } = await world.service.services.tokens.getAccessToken(accountId);
    const me = await fetch(world.provider.userinfoUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { sub: string }).sub).toBe("alice");
  });

  it("refuses a callback with a missing, wrong, replayed, expired or another browser's state: no token call, no account", async () => {
    const team = await buildTeam(world.service);
    const start = async () =>
      dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } }))
        .startOAuthConnect.authorizationUrl;
    const cases: Array<[string, Parameters<typeof runBrowserFlow>[2], string]> = [
      ["missing", { tamper: (u) => (u.searchParams.delete("state"), u) }, "STATE_MISSING"],
      ["wrong", { tamper: (u) => (u.searchParams.set("state", "forged-state-value"), u) }, "STATE_INVALID"],
      ["another browser's", { cookie: () => undefined }, "BROWSER_MISMATCH"],
      ["another member's cookie", { cookie: () => "ca_oauth_binding=someone-elses-binding" }, "BROWSER_MISMATCH"],
    ];
    for (const [label, options, code] of cases) {
      const flow = await runBrowserFlow(world.provider, await start(), options);
      expect([label, flow.callback.result?.error]).toEqual([label, code]);
      expect(flow.callback.status).toBe(400);
    }
    // Replay: the same callback twice; only the first is honoured.
    const ok = await runBrowserFlow(world.provider, await start());
    expect(ok.callback.result?.status).toBe("success");
    const replay = await readCallback(await browserGet(ok.callbackUrl!.href, ok.cookie));
    expect(replay.result?.error).toBe("STATE_INVALID");
    // Only the one honest callback reached the token endpoint and stored an account.
    const stats = await world.provider.stats();
    expect(stats.authorizationCodeRequests).toBe(1);
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(1);
  });

  it("refuses an expired flow and a denied consent without storing anything", async () => {
    const team = await buildTeam(world.service);
    const url = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } }))
      .startOAuthConnect.authorizationUrl;
    await world.service.dataSource.query(
      world.service.dataSource.options.type === "mariadb" ? "UPDATE oauth_flows SET expires_at = ?" : 'UPDATE "oauth_flows" SET expires_at = ?',
      [world.service.dataSource.options.type === "mariadb" ? new Date(Date.now() - 1000) : new Date(Date.now() - 1000).toISOString().replace("T", " ").replace("Z", "")],
    );
    const expired = await runBrowserFlow(world.provider, url);
    expect(expired.callback.result?.error).toBe("STATE_EXPIRED");

    const url2 = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } }))
      .startOAuthConnect.authorizationUrl;
    const denied = await runBrowserFlow(world.provider, url2, {
      tamper: (u) => {
        u.searchParams.delete("code");
        u.searchParams.set("error", "access_denied");
        return u;
      },
    });
    expect(denied.callback.result?.error).toBe("ACCESS_DENIED");
    expect((await world.provider.stats()).authorizationCodeRequests).toBe(0);
    expect(await accounts().countBy({ workspaceId: team.workspace.id })).toBe(0);
  });

  it("redirects to an allowed return URL, and refuses one off the allow-list", async () => {
    const team = await buildTeam(world.service);
    const refused = await world.service.call(team.member.userId, StartOAuthConnectDocument, {
      input: { workspaceId: team.workspace.id, appSlug: TEST_APP, returnUrl: "https://evil.example/steal" },
    });
    expect(codesOf(refused)).toEqual(["BAD_USER_INPUT"]);
    const started = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, {
      input: { workspaceId: team.workspace.id, appSlug: TEST_APP, returnUrl: `${RETURN_URL}?tab=accounts` },
    })).startOAuthConnect;
    const flow = await runBrowserFlow(world.provider, started.authorizationUrl);
    expect(flow.callback.status).toBe(302);
    const location = new URL(flow.callback.location!);
    expect(location.origin + location.pathname).toBe(RETURN_URL);
    expect(location.searchParams.get("status")).toBe("success");
    expect(location.searchParams.get("tab")).toBe("accounts");
  });

  it.each([
    [`${RETURN_URL}x`, false],
    [`${RETURN_URL}-evil`, false],
    ["http://frontend.test.evil.example/connected", false],
    ["http://frontend.test:8080/connected", false],
    ["https://frontend.test/connected", false],
    [`${RETURN_URL}/../admin`, false],
    [`${RETURN_URL}/%2e%2e/admin`, false],
    [`http://user:pw@frontend.test/connected`, false],
    [RETURN_URL, true],
    [`${RETURN_URL}/`, true],
    [`${RETURN_URL}/deeper?tab=1#x`, true],
  ])("matches the return URL %s against OAUTH_RETURN_URLS by whole path segments (allowed: %s)", async (returnUrl, allowed) => {
    const team = await buildTeam(world.service);
    const result = await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP, returnUrl } });
    if (allowed) expect(result.errors).toBeUndefined();
    else expect(codesOf(result)).toEqual(["BAD_USER_INPUT"]);
  });

  it("refuses an opener origin the result page could never reach, before anything is started", async () => {
    const team = await buildTeam(world.service);
    const flows = () => world.service.dataSource.query(`SELECT COUNT(*) AS n FROM oauth_flows WHERE workspace_id = ?`, [team.workspace.id]) as Promise<Array<{ n: number }>>;
    const start = (openerOrigin: string) =>
      world.service.call(team.member.userId, `mutation ($input: StartOAuthConnectInput!) { startOAuthConnect(input: $input) { authorizationUrl } }`, {
        input: { workspaceId: team.workspace.id, appSlug: TEST_APP, openerOrigin },
      });
    for (const bad of ["https://evil.example", "http://frontend.test:81", "http://frontend.test/connected", "not a url"]) {
      const refused = await start(bad);
      expect(codesOf(refused)).toEqual(["BAD_USER_INPUT"]);
      expect(refused.errors?.[0]?.extensions?.details).toEqual({ field: "openerOrigin" });
    }
    expect(Number((await flows())[0]!.n)).toBe(0);
    expect((await start("https://evil.example")).errors?.[0]?.message).toMatch(/not an origin of OAUTH_RETURN_URLS/);
    expect((await start("http://frontend.test")).errors).toBeUndefined();
    expect(Number((await flows())[0]!.n)).toBe(1);
  });

  it("posts the popup's result only to the allowed origins, waits for the opener's acknowledgement, and says why when none comes", async () => {
    const team = await buildTeam(world.service);
    const started = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } }));
    const flow = await runBrowserFlow(world.provider, started.startOAuthConnect.authorizationUrl);
    expect(flow.callback.result?.status).toBe("success");
    expect(flow.callback.html).toContain('var o=["http://frontend.test"]');
    expect(flow.callback.html).not.toMatch(/postMessage\(m,\s*"\*"\)|"\*"/);
    expect(flow.callback.html).toContain('d.type==="oauth-ack"');
    expect(flow.callback.html).toMatch(/its origin is not among the service's allowed origins \(OAUTH_RETURN_URLS\)/);
    // A person sees the app's name from the catalog.
    expect(flow.callback.html).toContain("<title>Test OIDC connected</title>");
    expect(flow.callback.html).toContain("<h1>Test OIDC is connected</h1>");
  });

  it("logs each failed callback by its code (denied at info, the rest at warn), never the code, state or cookie", async () => {
    const team = await buildTeam(world.service);
    const start = async () =>
      dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } })).startOAuthConnect.authorizationUrl;
    const from = world.service.logs.length;
    const denied = await runBrowserFlow(world.provider, await start(), { tamper: (u) => (u.searchParams.delete("code"), u.searchParams.set("error", "access_denied"), u) });
    const mismatch = await runBrowserFlow(world.provider, await start(), { cookie: () => "ca_oauth_binding=someone-else" });
    const noState = await runBrowserFlow(world.provider, await start(), { tamper: (u) => (u.searchParams.delete("state"), u) });
    expect([denied.callback.result?.error, mismatch.callback.result?.error, noState.callback.result?.error]).toEqual(["ACCESS_DENIED", "BROWSER_MISMATCH", "STATE_MISSING"]);
    // The page names the flow's app when the flow is known, and says what to do next.
    expect(denied.callback.html).toContain("<h1>Couldn&#39;t connect Test OIDC</h1>");
    expect(denied.callback.html).toContain("close this window, connect again and choose to allow access.");
    expect(mismatch.callback.html).toContain("<h1>Couldn&#39;t connect Test OIDC</h1>");
    expect(noState.callback.html).toContain("<h1>Couldn&#39;t connect the app</h1>");
    const lines = world.service.logs.slice(from).map((l) => JSON.parse(l) as { level: string; msg: string; error?: string; app?: string });
    const failures = lines.filter((l) => l.msg === "oauth callback failed");
    expect(failures.map((l) => [l.error, l.level, l.app])).toEqual([
      ["ACCESS_DENIED", "info", TEST_APP],
      ["BROWSER_MISMATCH", "warn", TEST_APP],
      ["STATE_MISSING", "warn", null],
    ]);
    const text = world.service.logs.slice(from).join("\n");
    for (const flow of [denied, mismatch, noState]) {
      for (const secret of [flow.callbackUrl?.searchParams.get("code"), flow.callbackUrl?.searchParams.get("state"), flow.cookie.split("=")[1]]) {
        if (secret) expect(text).not.toContain(secret);
      }
    }
  });
});

describe("a service whose OAUTH_RETURN_URLS is empty", () => {
  let bare: Awaited<ReturnType<typeof startOAuthWorld>>;
  beforeAll(async () => {
    bare = await startOAuthWorld({ env: { OAUTH_RETURN_URLS: "" } });
  }, 60_000);
  afterAll(async () => {
    await bare?.stop();
  });

  it("connects, but the popup page says it could not tell its opener, and the service warns naming the setting", async () => {
    const team = await buildTeam(bare.service);
    const started = dataOf(await bare.service.call(team.member.userId, StartOAuthConnectDocument, { input: { workspaceId: team.workspace.id, appSlug: TEST_APP } }));
    const flow = await runBrowserFlow(bare.provider, started.startOAuthConnect.authorizationUrl);
    expect(flow.callback.result?.status).toBe("success");
    expect(flow.callback.html).toContain("var o=[]");
    expect(flow.callback.html).toContain("the service allows no page to receive results (its OAUTH_RETURN_URLS setting is empty)");
    const warnings = bare.service.logs.map((l) => JSON.parse(l) as { level: string; msg: string; setting?: string }).filter((l) => l.level === "warn" && l.setting === "OAUTH_RETURN_URLS");
    expect(warnings.length).toBe(1);
    expect(warnings[0]!.msg).toMatch(/cannot notify the page that opened it/);
    // An opener origin is refused up front there: no page could hear the result.
    const refused = await bare.service.call(team.member.userId, `mutation ($input: StartOAuthConnectInput!) { startOAuthConnect(input: $input) { authorizationUrl } }`, {
      input: { workspaceId: team.workspace.id, appSlug: TEST_APP, openerOrigin: "http://frontend.test" },
    });
    expect(refused.errors?.[0]?.message).toMatch(/set OAUTH_RETURN_URLS/);
  });
});

describe("fresh tokens", () => {
  it("refreshes once for 100 concurrent requests of an expired token: one refresh call, the same token, still HEALTHY", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    await expire(accountId);
    await world.provider.resetStats();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => world.service.services.tokens.getAccessToken(accountId)));
    expect((await world.provider.stats()).refreshRequests).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    const account = await accounts().findOneByOrFail({ id: accountId });
    expect(account).toMatchObject({ healthStatus: "HEALTHY", leaseOwner: null, refreshFailures: 0, version: 2 });
    const me = await fetch(world.provider.userinfoUrl, { headers: { authorization: `Bearer ${tokens[0]!.accessToken}` } });
    expect(me.status).toBe(200);
  });

  it("ends a refresh against a provider that never answers at its deadline: lease released, PROVIDER_UNAVAILABLE, not NEEDS_RECONNECT", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    await expire(accountId);
    await world.provider.setTokenMode({ token: "hang" });
    const started = Date.now();
    await expect(world.service.services.tokens.getAccessToken(accountId)).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
    expect(Date.now() - started).toBeLessThan(5000);
    const account = await accounts().findOneByOrFail({ id: accountId });
    expect(account.leaseOwner).toBeNull();
    expect(account.healthStatus).toBe("DEGRADED");
    expect(account.lastError).toMatch(/timeout/);
  });

  const failureTable: Array<[string, object, string, RegExp]> = [
    ["invalid_grant", { token: "status", status: 400, body: { error: "invalid_grant", error_description: "grant revoked" } }, "NEEDS_RECONNECT", /invalid_grant/],
    ["503", { token: "status", status: 503, body: { error: "temporarily_unavailable" } }, "DEGRADED", /http_503/],
    ["a 200 that is not a token response", { token: "status", status: 200, body: { maintenance: true } }, "DEGRADED", /malformed/],
    ["429", { token: "status", status: 429, body: { error: "slow_down" } }, "DEGRADED", /http_429/],
    ["invalid_client", { token: "status", status: 401, body: { error: "invalid_client" } }, "CLIENT_MISCONFIGURED", /invalid_client/],
  ];
  it.each(failureTable)("classifies %s", async (_label, mode, status, reason) => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    await expire(accountId);
    await world.provider.setTokenMode(mode as never);
    await expect(world.service.services.tokens.getAccessToken(accountId)).rejects.toMatchObject({ code: expect.stringMatching(/PROVIDER_UNAVAILABLE|CONFLICT/) });
    const account = await accounts().findOneByOrFail({ id: accountId });
    expect(account.healthStatus).toBe(status);
    expect(account.lastError).toMatch(reason);
    if (status === "CLIENT_MISCONFIGURED") {
      const client = await world.service.dataSource.getRepository(OAuthClientHealthEntity).findOneByOrFail({ appSlug: TEST_APP });
      expect(client.status).toBe("MISCONFIGURED");
      expect(await accounts().countBy({ healthStatus: "NEEDS_RECONNECT", workspaceId: team.workspace.id })).toBe(0);
    }
    if (status !== "NEEDS_RECONNECT") {
      // Back to HEALTHY on the next success (once the backoff has passed).
      await world.provider.setTokenMode({ token: "normal" });
      await accounts().update({ id: accountId }, { nextRefreshAt: new Date(Date.now() - 1000) });
      await world.service.services.tokens.getAccessToken(accountId);
      expect((await accounts().findOneByOrFail({ id: accountId })).healthStatus).toBe("HEALTHY");
    }
  });

  it("honours Retry-After and backs off on 429, serving the old token while it is still valid", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const before = await world.service.services.tokens.getAccessToken(accountId);
    // A token of an hour, inside its refresh-ahead window (the last 300 s) but not expired: the
    // refresh fails, the old token is served.
    await accounts().update({ id: accountId }, { lastRefreshedAt: new Date(Date.now() - 3540_000), expiresAt: new Date(Date.now() + 60_000) });
    await world.provider.setTokenMode({ token: "status", status: 429, body: { error: "slow_down" }, retryAfter: "120" });
    const served = await world.service.services.tokens.getAccessToken(accountId);
    expect(served.accessToken).toBe(before.accessToken);
    const account = await accounts().findOneByOrFail({ id: accountId });
    expect(account.healthStatus).toBe("DEGRADED");
    expect(account.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(Date.now() + 115_000);
    // During the backoff nobody calls the provider again.
    await world.provider.resetStats();
    await world.service.services.tokens.getAccessToken(accountId);
    expect((await world.provider.stats()).refreshRequests).toBe(0);
  });

  it("after a process died between the provider's answer and the write: NEEDS_RECONNECT with a reason, never a silent failure", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const account = await accounts().findOneByOrFail({ id: accountId });
    const { oauth_refresh_token: refreshToken } = await world.service.services.vault.open(world.service.dataSource, account);
    // The lost process: it marked the refresh, the provider rotated the token, and it died before writing.
    await accounts().update({ id: accountId }, { refreshStartedAt: new Date(), expiresAt: new Date(Date.now() - 1000) });
    const lost = await fetch(world.provider.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken!, client_id: "connected-accounts-test", client_secret: CLIENT_SECRET }),
    });
    expect(lost.status).toBe(200);
    await expect(world.service.services.tokens.getAccessToken(accountId)).rejects.toMatchObject({ code: "CONFLICT" });
    const after = await accounts().findOneByOrFail({ id: accountId });
    expect(after.healthStatus).toBe("NEEDS_RECONNECT");
    expect(after.lastError).toMatch(/interrupted refresh/);
    // The stored refresh token is still the old one: nothing older was written over anything newer.
    const stored = await world.service.services.vault.open(world.service.dataSource, after);
    expect(stored.oauth_refresh_token).toBe(refreshToken);
  });

  it("renews due tokens in the background, once each", async () => {
    const team = await buildTeam(world.service);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id));
    for (const id of ids) await accounts().update({ id }, { nextRefreshAt: new Date(Date.now() - 1000) });
    await world.provider.resetStats();
    await Promise.all([world.service.refresher.sweep({ workspaceId: team.workspace.id }), world.service.refresher.sweep({ workspaceId: team.workspace.id })]);
    expect((await world.provider.stats()).refreshRequests).toBe(3);
    for (const id of ids) {
      const account = await accounts().findOneByOrFail({ id });
      expect(account.version).toBe(2);
      expect(account.nextRefreshAt!.getTime()).toBeGreaterThan(Date.now());
    }
  });
});

describe("reconnect and legacy claims", () => {
  it("reconnects the same account, records scope changes with added and removed", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    await accounts().update({ id: accountId }, { healthStatus: "NEEDS_RECONNECT", lastError: "invalid_grant" });
    await world.provider.grantScopes(["openid", "profile"]);
    const result = await reconnectTestApp(world.service, world.provider, team.member.userId, accountId);
    expect(result.callback?.result).toMatchObject({ status: "success", accountId, claimed: false });
    const account = await accounts().findOneByOrFail({ id: accountId });
    expect(account.healthStatus).toBe("HEALTHY");
    expect(JSON.parse(account.scopes)).toEqual(["openid", "profile"]);
    const trail = dataOf(await world.service.call(team.owner.userId, AuditTrailDocument, { workspaceId: team.workspace.id, filter: { accountId } })).auditTrail.nodes;
    expect(trail.find((n) => n.action === "ACCOUNT_SCOPES_CHANGED")?.details).toEqual({ added: [], removed: ["read"] });
    expect(trail.map((n) => n.action)).toContain("ACCOUNT_RECONNECTED");
  });

  it("claims a legacy account with the same identity, and refuses another identity changing nothing", async () => {
    const team = await buildTeam(world.service);
    const imported = dataOf(await world.service.call(team.admin.userId, ImportLegacyAccountsDocument, {
      input: { workspaceId: team.workspace.id, accounts: [{ appSlug: TEST_APP, nickname: "Old OIDC", externalId: "alice", credentials: [{ name: "oauth_access_token", value: "legacy-token" }] }] },
    })).importLegacyAccounts[0]!;
    const before = await accounts().findOneByOrFail({ id: imported.id });
    const other = await reconnectTestApp(world.service, world.provider, team.member.userId, imported.id, "bob");
    expect(other.callback?.result?.error).toBe("IDENTITY_MISMATCH");
    expect(await accounts().findOneByOrFail({ id: imported.id })).toEqual(before);

    const same = await reconnectTestApp(world.service, world.provider, team.member.userId, imported.id, "alice");
    expect(same.callback?.result).toMatchObject({ status: "success", claimed: true });
    const claimed = await accounts().findOneByOrFail({ id: imported.id });
    expect(claimed.ownerMemberId).toBe(team.member.id);
  });
});

describe("secrets of OAuth accounts", () => {
  it("never shows access tokens, refresh tokens or the client secret in responses or logs", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const account = await accounts().findOneByOrFail({ id: accountId });
    const secrets = Object.values(await world.service.services.vault.open(world.service.dataSource, account));
    expect(secrets.length).toBe(2);
    const read = await world.service.call(team.member.userId, AccountDocument, { id: accountId });
    for (const secret of [...secrets, CLIENT_SECRET]) {
      expect(read.text).not.toContain(secret);
      expect(world.service.logs.join("\n")).not.toContain(secret);
    }
  });

  it("revokes the grant at the provider when the account is deleted", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const { accessToken } = await world.service.services.tokens.getAccessToken(accountId);
    const deleted = await world.service.call(team.member.userId, `mutation ($id: ID!) { deleteAccount(input: { accountId: $id }) { accountId } }`, { id: accountId });
    expect(codesOf(deleted)).toEqual([]);
    await Promise.all([...world.service.services.accounts.pendingRevocations]);
    const me = await fetch(world.provider.userinfoUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(me.status).toBe(401);
  });
});

describe("token endpoint answers that are not JSON", () => {
  it("treats an HTML outage page as transient, never as a lost grant", async () => {
    const html = await new FakeApp(() => ({ status: 200, body: "<html><body>Down for maintenance</body></html>" })).start();
    try {
      await expect(
        callTokenEndpoint({ tokenUrl: `${html.url}/token`, tokenAuthMethod: "client_secret_post" }, { clientId: "c", clientSecret: "s" }, { grant_type: "refresh_token", refresh_token: "r" }, 1000),
      ).rejects.toMatchObject({ kind: "TRANSIENT", reason: expect.stringMatching(/malformed/) });
    } finally {
      await html.stop();
    }
  });
});

describe("token endpoint calls on node:http", () => {
  const call = (tokenUrl: string, timeoutMs = 1000) =>
    callTokenEndpoint({ tokenUrl, tokenAuthMethod: "client_secret_basic" }, { clientId: "c", clientSecret: "s" }, { grant_type: "refresh_token", refresh_token: "r" }, timeoutMs);

  it("sends a form with Basic client authentication and reads the grant", async () => {
    const seen: Array<{ auth: string | undefined; type: string | undefined; body: string }> = [];
    const app = await new FakeApp((req) => {
      seen.push({ auth: req.headers.authorization, type: req.headers["content-type"], body: req.body });
      return { status: 200, body: { access_token: "at-1", refresh_token: "rt-2", expires_in: 60, scope: "a b" } };
    }).start();
    try {
      const grant = await call(`${app.url}/token`);
      expect(grant).toMatchObject({ accessToken: "at-1", refreshToken: "rt-2", scopes: ["a", "b"] });
      expect(seen).toEqual([{ auth: `Basic ${Buffer.from("c:s").toString("base64")}`, type: "application/x-www-form-urlencoded", body: "grant_type=refresh_token&refresh_token=r" }]);
    } finally {
      await app.stop();
    }
  });

  it("does not follow a redirect, and classifies a refused connection and a 503 with Retry-After as transient", async () => {
    const app = await new FakeApp((req): FakeResponse =>
      req.url === "/moved" ? { status: 302, body: "", headers: { location: "/token" } } : { status: 503, body: { error: "busy" }, headers: { "retry-after": "7" } },
    ).start();
    try {
      await expect(call(`${app.url}/moved`)).rejects.toMatchObject({ kind: "TRANSIENT", reason: expect.stringMatching(/malformed/) });
      await expect(call(`${app.url}/token`)).rejects.toMatchObject({ kind: "TRANSIENT", retryAfterMs: 7000 });
    } finally {
      await app.stop();
    }
    // Nothing listens there any more.
    await expect(call(`${app.url}/token`)).rejects.toMatchObject({ kind: "TRANSIENT", reason: expect.stringMatching(/^network/) });
  });

  it("reads at most 64 KiB of an answer, whatever the provider sends", async () => {
    const app = await new FakeApp(() => ({ status: 200, body: `{"access_token":"${"x".repeat(200_000)}"}` })).start();
    try {
      // Cut at the limit, the JSON no longer parses: a malformed answer, not a 200 KB token.
      await expect(call(`${app.url}/token`)).rejects.toMatchObject({ kind: "TRANSIENT", reason: expect.stringMatching(/malformed/) });
    } finally {
      await app.stop();
    }
  });
});

describe("workspace OAuth clients", () => {
  it("registers a client (secret write-only), connects with it, and the account remembers it", async () => {

    const team = await buildTeam(world.service);
    const input = { workspaceId: team.workspace.id, appSlug: TEST_APP, clientId: "connected-accounts-test", clientSecret: CLIENT_SECRET, scopes: ["openid", "read"] };
    expect(codesOf(await world.service.call(team.member.userId, RegisterOAuthClientDocument, { input }))).toEqual(["FORBIDDEN"]);
    const registered = await world.service.call(team.admin.userId, RegisterOAuthClientDocument, { input });
    const client = dataOf(registered).registerOAuthClient;
    expect(client).toMatchObject({ appSlug: TEST_APP, status: "ACTIVE", scopes: ["openid", "read"] });
    expect(client.redirectUri).toMatch(/\/oauth\/callback$/);
    expect(registered.text).not.toContain(CLIENT_SECRET);
    const listed = await world.service.call(team.owner.userId, OAuthClientsDocument, { workspaceId: team.workspace.id });
    expect(dataOf(listed).oauthClients.map((c) => c.id)).toEqual([client.id]);
    expect(listed.text).not.toContain(CLIENT_SECRET);

    const started = dataOf(await world.service.call(team.member.userId, StartOAuthConnectDocument, {
      input: { workspaceId: team.workspace.id, appSlug: TEST_APP, oauthClientId: client.id },
    })).startOAuthConnect;
    const flow = await runBrowserFlow(world.provider, started.authorizationUrl);
    expect(flow.providerUrl?.searchParams.get("scope")).toBe("openid read");
    const account = await accounts().findOneByOrFail({ id: flow.callback.result!.accountId! });
    expect(account.oauthClientId).toBe(client.id);
    // A wrong secret makes the client, not the account's grant, the problem.
    dataOf(await world.service.call(team.admin.userId, UpdateOAuthClientDocument, { input: { id: client.id, clientSecret: "wrong-secret" } }));
    await expire(account.id);
    await expect(world.service.services.tokens.getAccessToken(account.id)).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
    const clients = dataOf(await world.service.call(team.owner.userId, OAuthClientsDocument, { workspaceId: team.workspace.id })).oauthClients;
    expect(clients[0]).toMatchObject({ status: "MISCONFIGURED", lastError: expect.stringMatching(/invalid_client/) });
    expect((await accounts().findOneByOrFail({ id: account.id })).healthStatus).toBe("CLIENT_MISCONFIGURED");
  });
});

describe("credentials and requests of OAuth accounts", () => {
  it("gives the refresh token to the owner only, and a fresh access token to everyone allowed", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    dataOf(await world.service.call(team.member.userId, ShareAccountDocument, { input: { accountId, memberIds: [team.admin.id] } }));
    await expire(accountId);
    const asOwner = dataOf(await world.service.call(team.member.userId, ReadAccountCredentialsDocument, { accountId })).readAccountCredentials;
    const asShared = dataOf(await world.service.call(team.admin.userId, ReadAccountCredentialsDocument, { accountId })).readAccountCredentials;
    expect(asOwner.fields.map((f) => f.name).sort()).toEqual(["oauth_access_token", "oauth_refresh_token"]);
    expect(asShared.fields.map((f) => f.name)).toEqual(["oauth_access_token"]);
    expect(asShared.fields[0]!.value).toBe(asOwner.fields.find((f) => f.name === "oauth_access_token")!.value);
    expect(new Date(asShared.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it("refreshes once and retries once when the app answers 401 to a request through the account", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
    const account = await accounts().findOneByOrFail({ id: accountId });
    const stored = await world.service.services.vault.open(world.service.dataSource, account);
    // The provider no longer accepts the stored access token, though it has not expired.
    await world.service.dataSource.transaction((manager) =>
      world.service.services.vault.store(manager, account, { ...stored, oauth_access_token: "revoked-early" }),
    );
    await world.provider.resetStats();
    const sent = await world.service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId, method: "GET", path: "/me" } });
    const result = dataOf(sent).sendAccountRequest;
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body).sub).toBe("alice");
    expect((await world.provider.stats()).refreshRequests).toBe(1);
  });
});
