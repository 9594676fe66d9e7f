/**
 * Short-lived access tokens (a provider that issues 20 s tokens, with the default
 * TOKEN_REFRESH_AHEAD_SEC of 300 s): refreshed ahead by at most a fifth of their lifetime, so they
 * are served fresh for most of their life and refreshed once per expiry; a token that is still
 * valid is served at once while a refresh runs, whoever holds the lease; and what the REST answer
 * says of the account's health is the state after the refresh that answer itself did.
 */
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { buildTeam } from "./support/factories";
import { connectTestApp, startOAuthWorld } from "./support/oauth-harness";

let world: Awaited<ReturnType<typeof startOAuthWorld>>;
beforeAll(async () => {
  world = await startOAuthWorld({ accessTokenTtl: 20 });
}, 60_000);
afterAll(async () => {
  await world?.stop();
});
beforeEach(async () => {
  await world.provider.setTokenMode({ token: "normal" });
  await world.provider.resetStats();
});

const accounts = () => world.service.dataSource.getRepository(AccountEntity);

async function rest(accountId: string, user: string): Promise<{ status: number; body: { health: string; credentials: { oauth_access_token: string } } }> {
  const response = await fetch(`${world.service.baseUrl}/v1/accounts/${accountId}?include_credentials=1`, {
    headers: { authorization: `Bearer ${await world.service.token(user)}` },
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Moves an account's token back in time: obtained `ageSec` ago, for the provider's 20 s. */
async function age(accountId: string, ageSec: number): Promise<void> {
  const obtained = new Date(Date.now() - ageSec * 1000);
  await accounts().update({ id: accountId }, { lastRefreshedAt: obtained, connectedAt: obtained, expiresAt: new Date(obtained.getTime() + 20_000) });
}

describe("a 20 s access token with the default 300 s refresh-ahead setting", () => {
  it("is scheduled for the background refresher a fifth of its lifetime before expiry, not at once", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const account = await accounts().findOneByOrFail({ id: accountId });
    const lifetime = account.expiresAt!.getTime() - account.lastRefreshedAt!.getTime();
    expect(lifetime).toBeGreaterThan(18_000);
    // A fifth of the lifetime (stored times are rounded by the database), where it was "at once" before.
    const ahead = account.expiresAt!.getTime() - account.nextRefreshAt!.getTime();
    expect(ahead).toBeGreaterThanOrEqual(lifetime * 0.2 - 1000);
    expect(ahead).toBeLessThanOrEqual(lifetime * 0.2 + 1000);
  });

  it("is served fresh without a refresh for most of its life", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const stored = (await rest(accountId, team.owner.userId)).body.credentials.oauth_access_token;
    await world.provider.resetStats();
    await age(accountId, 10);
    const reads = await Promise.all(Array.from({ length: 20 }, () => rest(accountId, team.owner.userId)));
    expect(new Set(reads.map((r) => r.body.credentials.oauth_access_token))).toEqual(new Set([stored]));
    expect((await world.provider.stats()).refreshRequests).toBe(0);
  });

  it("is refreshed exactly once for 100 concurrent reads once expired, and all of them get the same new token", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    await age(accountId, 60);
    await world.provider.resetStats();
    const reads = await Promise.all(Array.from({ length: 100 }, () => rest(accountId, team.owner.userId)));
    expect(reads.every((r) => r.status === 200)).toBe(true);
    expect((await world.provider.stats()).refreshRequests).toBe(1);
    expect(new Set(reads.map((r) => r.body.credentials.oauth_access_token)).size).toBe(1);
  });

  it("serves the still-valid token at once while the refresh runs, instead of waiting for the provider", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const old = (await rest(accountId, team.owner.userId)).body.credentials.oauth_access_token;
    // 17 s old: inside its refresh-ahead window (the last 4 s), still valid for 3 s.
    await age(accountId, 17);
    const version = (await accounts().findOneByOrFail({ id: accountId })).version;
    await world.provider.resetStats();
    // Slow, within the harness's 1.5 s provider deadline.
    await world.provider.setTokenMode({ token: "delay", ms: 800, count: 1 });
    const during = await Promise.all(Array.from({ length: 10 }, () => rest(accountId, team.owner.userId)));
    // Answered with the token it had: the reads did not wait for the slow provider.
    expect(new Set(during.map((r) => r.body.credentials.oauth_access_token))).toEqual(new Set([old]));
    // The one refresh they started lands, and later reads get its token.
    await until(async () => (await accounts().findOneByOrFail({ id: accountId })).version > version);
    expect((await world.provider.stats()).refreshRequests).toBe(1);
    expect((await accounts().findOneByOrFail({ id: accountId })).healthStatus).toBe("HEALTHY");
    const after = await rest(accountId, team.owner.userId);
    expect(after.body.credentials.oauth_access_token).not.toBe(old);
  });

  it("serves the still-valid token while the lease is held by an instance that died, without waiting for the lease to lapse", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const old = (await rest(accountId, team.owner.userId)).body.credentials.oauth_access_token;
    await age(accountId, 17);
    const version = (await accounts().findOneByOrFail({ id: accountId })).version;
    await accounts().update({ id: accountId }, { leaseOwner: "dead-instance/1", leaseUntil: new Date(Date.now() + 60_000), refreshStartedAt: null });
    const read = await rest(accountId, team.owner.userId);
    expect(read.body.credentials.oauth_access_token).toBe(old);
    // The lease lapses (made to, here): the refresh the read started takes it and lands.
    await accounts().update({ id: accountId }, { leaseUntil: new Date(Date.now() - 1000) });
    await until(async () => (await accounts().findOneByOrFail({ id: accountId })).version > version);
    expect((await rest(accountId, team.owner.userId)).body.credentials.oauth_access_token).not.toBe(old);
  });

  it("answers REST with the health the refresh it did left, not the one it read before", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    await age(accountId, 60);
    await accounts().update({ id: accountId }, { healthStatus: "DEGRADED", refreshFailures: 1, lastError: "timeout", nextRefreshAt: new Date(Date.now() - 1000) });
    const read = await rest(accountId, team.owner.userId);
    expect(read.status).toBe(200);
    expect((await world.provider.stats()).refreshRequests).toBe(1);
    expect(read.body.health).toBe("HEALTHY");
  });
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("not before the deadline");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
