import { AccountEntity } from "../src/modules/accounts/account.entity";
import { buildTeam } from "./support/factories";
import { connectTestApp, startOAuthWorld } from "./support/oauth-harness";

let world: Awaited<ReturnType<typeof startOAuthWorld>>;
beforeAll(async () => {
  world = await startOAuthWorld({ instances: 3 });
}, 60_000);
afterAll(async () => {
  await world?.stop();
});

describe("one refresh per account across service instances", () => {
  it("three instances sharing one database, 100 concurrent requests for an expired token: one refresh, one token, HEALTHY", async () => {
    const [a, b, c] = world.services;
    const team = await buildTeam(a!);
    const accountId = await connectTestApp(a!, world.provider, team.member.userId, team.workspace.id);
    const repo = a!.dataSource.getRepository(AccountEntity);
    for (let round = 0; round < 3; round++) {
      await repo.update({ id: accountId }, { expiresAt: new Date(Date.now() - 60_000) });
      await world.provider.resetStats();
      // A provider that rotates refresh tokens and refuses (and punishes) a reused one: a second
      // refresh would surface as invalid_grant and destroy the grant.
      const callers = Array.from({ length: 100 }, (_, i) => [a, b, c][i % 3]!.services.tokens.getAccessToken(accountId));
      const tokens = await Promise.all(callers);
      const stats = await world.provider.stats();
      expect(stats.refreshRequests).toBe(1);
      expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
      const account = await repo.findOneByOrFail({ id: accountId });
      expect(account).toMatchObject({ healthStatus: "HEALTHY", leaseOwner: null, version: round + 2 });
      const me = await fetch(world.provider.userinfoUrl, { headers: { authorization: `Bearer ${tokens[0]!.accessToken}` } });
      expect(me.status).toBe(200);
    }
  });

  it("background refreshers on every instance renew each due account once", async () => {
    const [a] = world.services;
    const team = await buildTeam(a!);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await connectTestApp(a!, world.provider, team.member.userId, team.workspace.id));
    const repo = a!.dataSource.getRepository(AccountEntity);
    for (const id of ids) await repo.update({ id }, { nextRefreshAt: new Date(Date.now() - 1000) });
    await world.provider.resetStats();
    await Promise.all(world.services.map((s) => s.refresher.sweep({ workspaceId: team.workspace.id })));
    const stats = await world.provider.stats();
    expect(new Set(stats.refreshTokensSeen).size).toBe(stats.refreshTokensSeen.length);
    for (const id of ids) expect((await repo.findOneByOrFail({ id })).version).toBe(2);
    expect(stats.refreshRequests).toBe(6);
  });
});
