/**
 * Revoking access takes effect at once on every instance (issue #19: the guard any cache of
 * authorization facts must keep green). Two instances on one database and Redis: a member reads an
 * account's credentials on B; access is taken away on A (the grant revoked, the member removed,
 * the personal API token revoked, the account deleted); the very next read on B is refused, with
 * no wait and no retry.
 */
import { buildAccount, buildMember, buildTeam } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

let a: TestService;
let b: TestService;

beforeAll(async () => {
  a = await startTestService({ REDIS_URL: "redis://127.0.0.1:6379" });
  const shared: Record<string, string> = a.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(a.dataSource.options.database) } : {};
  b = await startTestService({ ...shared, REDIS_URL: "redis://127.0.0.1:6379" });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const read = (service: TestService, accountId: string, token: string) =>
  fetch(`${service.baseUrl}/v1/accounts/${accountId}?include_credentials=1`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });

/** A member reading a shared account on B, warmed up so that anything B could cache is cached. */
async function memberReadingOnB() {
  const team = await buildTeam(a);
  const account = await buildAccount(a, { workspaceId: team.workspace.id, owner: team.owner, grants: [team.member.id] });
  const token = await b.token(team.member.userId);
  for (let i = 0; i < 3; i++) expect((await read(b, account.id, token)).status).toBe(200);
  return { team, account, token };
}

describe("access taken away on one instance is refused on the other at the next read", () => {
  it("a revoked grant", async () => {
    const { team, account, token } = await memberReadingOnB();
    dataOf(await a.call(team.owner.userId, `mutation ($id: ID!, $m: [ID!]) { revokeAccountAccess(input: { accountId: $id, memberIds: $m }) { id } }`, { id: account.id, m: [team.member.id] }));
    expect((await read(b, account.id, token)).status).toBe(404);
  });

  it("a removed member", async () => {
    const { team, account, token } = await memberReadingOnB();
    dataOf(await a.call(team.owner.userId, `mutation ($input: RemoveMemberInput!) { removeMember(input: $input) { __typename } }`, { input: { memberId: team.member.id } }));
    expect((await read(b, account.id, token)).status).toBe(404);
  });

  it("a deleted account", async () => {
    const { team, account, token } = await memberReadingOnB();
    dataOf(await a.call(team.owner.userId, `mutation ($input: DeleteAccountInput!) { deleteAccount(input: $input) { __typename } }`, { input: { accountId: account.id } }));
    expect((await read(b, account.id, token)).status).toBe(404);
  });

  it("a revoked personal API token", async () => {
    const team = await buildTeam(a);
    const reader = await buildMember(a, team.workspace.id, { role: "MEMBER" });
    const account = await buildAccount(a, { workspaceId: team.workspace.id, owner: team.owner, grants: [reader.id] });
    const created = dataOf(
      await a.call<{ createApiToken: { token: string; apiToken: { id: string } } }>(reader.userId, `mutation ($ws: ID!) { createApiToken(input: { workspaceId: $ws, name: "reader", scope: CREDENTIALS_READ }) { token apiToken { id } } }`, { ws: team.workspace.id }),
    ).createApiToken;
    for (let i = 0; i < 3; i++) expect((await read(b, account.id, created.token)).status).toBe(200);
    dataOf(await a.call(reader.userId, `mutation ($id: ID!) { revokeApiToken(id: $id) { id } }`, { id: created.apiToken.id }));
    const refused = await read(b, account.id, created.token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
  });
});
