/**
 * Concurrent writers in one workspace are the normal case (an admin console, a team connecting
 * accounts at once): every one of them must succeed, with the workspace's event numbers gapless
 * and one event per change. These bugs live in MariaDB's locking and isolation (REPEATABLE READ
 * snapshots, shared locks taken by foreign keys), so the suite runs them on MariaDB as well.
 */
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { AccountEventEntity } from "../src/events/event.entity";
import { buildAccount, buildMember, buildWorkspace, sendgridKey } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ REFRESHER_INTERVAL_MS: "0", DB_POOL_SIZE: "24" });
});
afterAll(async () => {
  await service?.close();
});

async function eventsOf(workspaceId: string): Promise<AccountEventEntity[]> {
  return service.dataSource.getRepository(AccountEventEntity).find({ where: { workspaceId }, order: { seq: "ASC" } });
}

function expectGapless(events: AccountEventEntity[]): void {
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
}

describe("many writers in one workspace at once", () => {
  it("shares 20 different accounts at the same moment: every share succeeds, one event each, numbers gapless", async () => {
    const { workspace, owner } = await buildWorkspace(service);
    const member = await buildMember(service, workspace.id);
    const accounts = await Promise.all(Array.from({ length: 20 }, () => buildAccount(service, { workspaceId: workspace.id, owner })));
    const results = await Promise.all(
      accounts.map((account) =>
        service.call(owner.userId, `mutation ($a: ID!, $m: [ID!]) { shareAccount(input: { accountId: $a, memberIds: $m }) { id } }`, { a: account.id, m: [member.id] }),
      ),
    );
    expect(results.map((r) => r.errors?.map((e) => e.extensions?.code) ?? "ok")).toEqual(accounts.map(() => "ok"));
    const events = await eventsOf(workspace.id);
    expect(events).toHaveLength(20);
    expectGapless(events);
    expect(new Set(events.map((e) => e.accountId))).toEqual(new Set(accounts.map((a) => a.id)));
  });

  it.each([1, 2, 3])("connects 16 key accounts at the same moment (round %i): none deadlocks, one ACCOUNT_CONNECTED each, numbers gapless", async () => {
    const { workspace, owner } = await buildWorkspace(service);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        service.call(owner.userId, `mutation ($ws: ID!, $k: String!, $n: String) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", nickname: $n, verify: false, credentials: [{ name: "api_key", value: $k }] }) { id } }`, {
          ws: workspace.id,
          k: sendgridKey(),
          n: `Parallel ${i}`,
        }),
      ),
    );
    expect(results.map((r) => r.errors?.map((e) => e.extensions?.code) ?? "ok")).toEqual(results.map(() => "ok"));
    const events = await eventsOf(workspace.id);
    expect(events.map((e) => e.kind)).toEqual(results.map(() => "ACCOUNT_CONNECTED"));
    expectGapless(events);
  });

  it("mixes every event-producing mutation on one workspace at once, and each either succeeds or fails with a code, numbers gapless", async () => {
    const { workspace, owner } = await buildWorkspace(service);
    const member = await buildMember(service, workspace.id);
    const shared = await Promise.all(Array.from({ length: 6 }, () => buildAccount(service, { workspaceId: workspace.id, owner, grants: [WORKSPACE_GRANTEE] })));
    const priv = await Promise.all(Array.from({ length: 6 }, () => buildAccount(service, { workspaceId: workspace.id, owner })));
    const calls = [
      ...priv.map((a) => [`mutation ($a: ID!, $m: [ID!]) { shareAccount(input: { accountId: $a, memberIds: $m }) { id } }`, { a: a.id, m: [member.id] }] as const),
      ...shared.slice(0, 3).map((a) => [`mutation ($a: ID!) { revokeAccountAccess(input: { accountId: $a, workspace: true }) { id } }`, { a: a.id }] as const),
      ...shared.slice(3).map((a) => [`mutation ($a: ID!) { deleteAccount(input: { accountId: $a }) { accountId } }`, { a: a.id }] as const),
      ...Array.from({ length: 6 }, () => [`mutation ($ws: ID!, $k: String!) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", verify: false, credentials: [{ name: "api_key", value: $k }] }) { id } }`, { ws: workspace.id, k: sendgridKey() }] as const),
    ];
    const results = await Promise.all(calls.map(([query, variables]) => service.call(owner.userId, query, variables as Record<string, unknown>)));
    expect(results.filter((r) => r.errors).map((r) => r.errors)).toEqual([]);
    const events = await eventsOf(workspace.id);
    expect(events).toHaveLength(calls.length);
    expectGapless(events);
  });
});
