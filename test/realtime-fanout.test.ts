import { RevokeAccountAccessDocument, ShareAccountDocument } from "../operations/generated";
import { inTransaction } from "../src/db/transactions";
import type { NewEvent } from "../src/events/event-log";
import { feedOf } from "../src/realtime/event-feed";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { sharedExecutionStats } from "../src/realtime/shared-execution";
import { buildAccount, buildMember, buildWorkspace } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNT_EVENTS, Subscriber, settle } from "./support/ws-client";

let service: TestService;
const open: Subscriber[] = [];
beforeAll(async () => {
  // No periodic read of the log heads (EVENT_POLL_MS): notices deliver here, and a poll landing in a
  // counted window would add a statement to one count and not the other.
  service = await startTestService({ REFRESHER_INTERVAL_MS: "0", EVENT_POLL_MS: "0" });
}, 30_000);
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
afterAll(async () => {
  await service?.close();
});

/** `count` subscribers for `userId`, all live from the workspace's current head. */
async function subscribeMany(userId: string, workspaceId: string, count: number, query = ACCOUNT_EVENTS, variables: Record<string, unknown> = {}) {
  const after = await service.services.events.head(workspaceId);
  const token = await service.token(userId);
  const subscribers = Array.from({ length: count }, () => new Subscriber(service.url, token).subscribe(query, { workspaceId, after, ...variables }));
  open.push(...subscribers);
  return subscribers;
}

async function raise(workspaceId: string, accountId: string, count = 1): Promise<void> {
  const events: NewEvent[] = Array.from({ length: count }, (_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED", accountId, details: { granted: [], revoked: [], i } }));
  await inTransaction(service.dataSource, (manager) => service.services.events.append(manager, workspaceId, events));
}

async function sharedTeam() {
  const { workspace, owner } = await buildWorkspace(service);
  const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
  const member = await buildMember(service, workspace.id);
  const account = await buildAccount(service, { workspaceId: workspace.id, owner, grants: [WORKSPACE_GRANTEE] });
  return { workspace, owner, admin, member, account };
}

const waitAll = (subscribers: Subscriber[], count: number) => Promise.all(subscribers.map((s) => s.waitFor((x) => x.events.length >= count, 10_000)));

describe("fan-out to many subscribers of one workspace", () => {
  it("delivers every event exactly once and in order to each of 30 subscribers, whether events come alone or together", async () => {
    const team = await sharedTeam();
    const subscribers = [
      ...(await subscribeMany(team.owner.userId, team.workspace.id, 10)),
      ...(await subscribeMany(team.admin.userId, team.workspace.id, 10)),
      ...(await subscribeMany(team.member.userId, team.workspace.id, 10)),
    ];
    await settle(200);
    const first = (await service.services.events.head(team.workspace.id)) + 1;
    await raise(team.workspace.id, team.account.id, 5);
    await Promise.all(Array.from({ length: 10 }, () => raise(team.workspace.id, team.account.id)));
    await raise(team.workspace.id, team.account.id, 5);
    await waitAll(subscribers, 20);
    await settle();
    for (const s of subscribers) expect(s.events.map((e) => e.cursor)).toEqual(Array.from({ length: 20 }, (_, i) => first + i));
  });

  it("executes each event once for all subscribers with the same selection, and once more per different selection", async () => {
    const team = await sharedTeam();
    const same = [
      ...(await subscribeMany(team.member.userId, team.workspace.id, 10)),
      // Different cursors and filters choose the stream, not the result: still one execution.
      ...(await subscribeMany(team.admin.userId, team.workspace.id, 5, ACCOUNT_EVENTS, { kinds: ["ACCOUNT_ACCESS_CHANGED"], accountIds: [team.account.id] })),
    ];
    const narrow = await subscribeMany(team.owner.userId, team.workspace.id, 5, `subscription ($workspaceId: ID!, $after: Int) { accountEvents(workspaceId: $workspaceId, after: $after) { cursor kind } }`);
    // A first event reaches every subscriber only once each has finished subscribing (a timed
    // wait let a slow setup join a later pass and count as an execution of its own).
    await raise(team.workspace.id, team.account.id);
    await waitAll([...same, ...narrow], 1);
    const before = sharedExecutionStats.executions;
    await raise(team.workspace.id, team.account.id);
    await waitAll([...same, ...narrow], 2);
    expect(sharedExecutionStats.executions - before).toBe(2);
    for (const s of same) expect(Object.keys(s.events[1]!).sort()).toEqual(["accountId", "cursor", "details", "id", "kind"]);
    for (const s of narrow) expect(Object.keys(s.events[1]!).sort()).toEqual(["cursor", "kind"]);
  });

  it("reads and authorizes with the same number of SQL statements for 3 subscribers as for 30", async () => {
    const team = await sharedTeam();
    const statements = async (perUser: number) => {
      const subscribers = [team.owner, team.admin, team.member].length;
      const all = [
        ...(await subscribeMany(team.owner.userId, team.workspace.id, perUser)),
        ...(await subscribeMany(team.admin.userId, team.workspace.id, perUser)),
        ...(await subscribeMany(team.member.userId, team.workspace.id, perUser)),
      ];
      // A first event reaches every subscriber only once each has finished subscribing: only then
      // is the second event's delivery all that runs (a timed wait let slow setups into the count).
      await raise(team.workspace.id, team.account.id);
      await waitAll(all, 1);
      const { queries } = await countQueries(service.dataSource, async () => {
        await raise(team.workspace.id, team.account.id);
        await waitAll(all, 2);
      });
      for (const s of open.splice(0)) await s.close();
      expect(all).toHaveLength(subscribers * perUser);
      return queries.length;
    };
    const few = await statements(1);
    const many = await statements(10);
    expect(many).toBe(few);
    // The append (lock, read, insert, update), one log read, then workspace, members, account, grants.
    expect(few).toBeLessThanOrEqual(12);
  });

  it("lets clients subscribe from now without reading the log for each: joining costs the same at 5 subscribers as at 50", async () => {
    const team = await sharedTeam();
    // The feed learns the log's head from the first subscriber's read and an event's notice.
    await subscribeMany(team.owner.userId, team.workspace.id, 1);
    await raise(team.workspace.id, team.account.id);
    await settle(200);
    const logReads = async (count: number) => {
      const { queries } = await countQueries(service.dataSource, async () => {
        await subscribeMany(team.member.userId, team.workspace.id, count);
        await settle(300);
      });
      return queries.filter((q) => /FROM\s+["`]?account_events/i.test(q)).length;
    };
    expect(await logReads(5)).toBe(0);
    expect(await logReads(50)).toBe(0);
    // They still get what comes next, exactly once.
    const late = await subscribeMany(team.admin.userId, team.workspace.id, 3);
    await raise(team.workspace.id, team.account.id);
    await waitAll(late, 1);
    await settle(200);
    for (const s of late) expect(s.events).toHaveLength(1);
  });

  it("still decides per subscriber at delivery: subscribers sharing one result get only the events they may see now", async () => {
    const { workspace, owner } = await buildWorkspace(service);
    const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
    const sharedWith = await buildMember(service, workspace.id);
    const notSharedWith = await buildMember(service, workspace.id);
    const account = await buildAccount(service, { workspaceId: workspace.id, owner: admin, grants: [sharedWith.id] });
    const allowed = await subscribeMany(sharedWith.userId, workspace.id, 5);
    const refused = await subscribeMany(notSharedWith.userId, workspace.id, 5);
    const accountOwner = await subscribeMany(admin.userId, workspace.id, 5);
    const workspaceOwner = await subscribeMany(owner.userId, workspace.id, 5);
    await settle(200);
    await raise(workspace.id, account.id);
    await waitAll([...allowed, ...accountOwner, ...workspaceOwner], 1);
    // The grant goes: its own event, and the next one, reach the account's owner but no longer the member.
    dataOf(await service.call(admin.userId, RevokeAccountAccessDocument, { input: { accountId: account.id, memberIds: [sharedWith.id] } }));
    dataOf(await service.call(admin.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [owner.id] } }));
    await waitAll([...accountOwner, ...workspaceOwner], 3);
    await settle();
    for (const s of allowed) expect(s.events).toHaveLength(1);
    for (const s of refused) expect(s.events).toEqual([]);
    for (const s of [...accountOwner, ...workspaceOwner]) expect(s.events).toHaveLength(3);
  });

  it("lets subscribers come and go while events flow, without losing or repeating any for those who stay", async () => {
    const team = await sharedTeam();
    const stay = await subscribeMany(team.member.userId, team.workspace.id, 5);
    await settle(200);
    const first = (await service.services.events.head(team.workspace.id)) + 1;
    for (let i = 0; i < 10; i++) {
      const passing = await subscribeMany(team.admin.userId, team.workspace.id, 2);
      await raise(team.workspace.id, team.account.id);
      if (i % 2) for (const s of passing) await s.close();
    }
    await waitAll(stay, 10);
    await settle();
    for (const s of stay) expect(s.events.map((e) => e.cursor)).toEqual(Array.from({ length: 10 }, (_, i) => first + i));
  });

  it("releases a closed subscription at once, without waiting for an event in its workspace", async () => {
    const team = await sharedTeam();
    const feed = feedOf(service.services.events);
    const subscribers = await subscribeMany(team.member.userId, team.workspace.id, 5);
    await raise(team.workspace.id, team.account.id);
    await waitAll(subscribers, 1);
    expect(feed.subscriberCount(team.workspace.id)).toBe(5);
    for (const s of open.splice(0)) await s.close();
    const until = Date.now() + 5000;
    while (feed.subscriberCount(team.workspace.id) > 0 && Date.now() < until) await settle(20);
    expect(feed.subscriberCount(team.workspace.id)).toBe(0);
  });
});
