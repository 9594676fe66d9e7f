/**
 * A bounded soak: two instances on one database with Redis, concurrent writers of every
 * event-producing key-account mutation in one workspace, and subscribers that keep resuming from
 * their last cursor on either instance while events stream. At the end: every mutation succeeded
 * or failed with a code of the closed set, failed ones left no event, the workspace's event
 * numbers are gapless, and every subscriber that may view everything got every event exactly
 * once, in order; the others got a gapless-in-order subset without duplicates.
 */
import { randomInt } from "node:crypto";
import { ERROR_CODES } from "../src/errors/error-codes";
import { AccountEventEntity } from "../src/events/event.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildMember, buildWorkspace, sendgridKey } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNT_EVENTS, Subscriber, type ReceivedEvent } from "./support/ws-client";

jest.setTimeout(120_000);

const WRITE_MS = Number(process.env.SOAK_MS ?? 15_000);
const WRITERS = 10;

let a: TestService;
let b: TestService;
beforeAll(async () => {
  const env = { REDIS_URL: "redis://127.0.0.1:6379", REFRESHER_INTERVAL_MS: "0", DB_POOL_SIZE: "16" };
  a = await startTestService(env);
  const shared: Record<string, string> = a.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(a.dataSource.options.database) } : {};
  b = await startTestService({ ...env, ...shared });
}, 30_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
});

/** A subscriber that resumes, again and again, from the last cursor it received, on either instance. */
class ResumingSubscriber {
  readonly received: ReceivedEvent[] = [];
  private stopped = false;
  resumes = 0;

  constructor(
    private readonly userId: string,
    private readonly workspaceId: string,
    private readonly after: number,
  ) {}

  async run(): Promise<void> {
    while (!this.stopped) {
      const service = randomInt(2) === 0 ? a : b;
      const cursor = this.received.at(-1)?.cursor ?? this.after;
      const subscriber = new Subscriber(service.url, await service.token(this.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: this.workspaceId, after: cursor });
      await new Promise((resolve) => setTimeout(resolve, 200 + randomInt(800)));
      // What it got before closing counts; the next subscription resumes after the last of it.
      await subscriber.close();
      this.received.push(...subscriber.events);
      this.resumes++;
    }
  }

  /** Stops resuming, then stays subscribed until it has caught up to `last` (or, when it may not see that one, until nothing more comes). */
  async finish(running: Promise<void>, last: number | null): Promise<void> {
    this.stopped = true;
    await running;
    const cursor = this.received.at(-1)?.cursor ?? this.after;
    const subscriber = new Subscriber(a.url, await a.token(this.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: this.workspaceId, after: cursor });
    try {
      if (last !== null) {
        await subscriber.waitFor((s) => (s.events.at(-1)?.cursor ?? cursor) >= last, 20_000);
      } else {
        let count = -1;
        while (count !== subscriber.events.length) {
          count = subscriber.events.length;
          await new Promise((resolve) => setTimeout(resolve, 1500));
        }
      }
      this.received.push(...subscriber.events);
    } finally {
      await subscriber.close();
    }
  }
}

type Outcome = { op: string; ok: boolean; code?: string };

describe("a soak of concurrent writers and resuming subscribers", () => {
  it("keeps every mutation whole, the event numbers gapless, and every subscriber's events exactly once in order", async () => {
    const { workspace, owner } = await buildWorkspace(a);
    const admin = await buildMember(a, workspace.id, { role: "ADMIN" });
    const members = await Promise.all(Array.from({ length: 3 }, () => buildMember(a, workspace.id)));
    const accounts = await Promise.all(Array.from({ length: 12 }, (_, i) => buildAccount(a, { workspaceId: workspace.id, owner, grants: i % 2 ? [WORKSPACE_GRANTEE] : [] })));
    const head = await a.services.events.head(workspace.id);
    const live = accounts.map((x) => x.id);

    const subscribers = [
      new ResumingSubscriber(owner.userId, workspace.id, head),
      new ResumingSubscriber(admin.userId, workspace.id, head),
      new ResumingSubscriber(owner.userId, workspace.id, head),
      ...members.map((m) => new ResumingSubscriber(m.userId, workspace.id, head)),
    ];
    const running = subscribers.map((s) => s.run());

    const outcomes: Outcome[] = [];
    const call = async (op: string, query: string, variables: Record<string, unknown>) => {
      const service = randomInt(2) === 0 ? a : b;
      const result = await service.call(owner.userId, query, variables);
      const code = result.errors?.[0]?.extensions?.code;
      outcomes.push({ op, ok: !result.errors, code });
      return result;
    };
    // An account to act on (one of the first twelve if every account was deleted: the call fails with NOT_FOUND).
    const pick = () => (live.length > 0 ? live[randomInt(live.length)]! : accounts[0]!.id);
    const ops = [
      async () => {
        const result = await call("connect", `mutation ($ws: ID!, $k: String!) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", verify: false, credentials: [{ name: "api_key", value: $k }] }) { id } }`, { ws: workspace.id, k: sendgridKey() });
        const id = (result.data as { connectKeyAccount?: { id: string } } | null)?.connectKeyAccount?.id;
        if (id) live.push(id);
      },
      () => call("share", `mutation ($a: ID!, $m: [ID!]) { shareAccount(input: { accountId: $a, memberIds: $m }) { id } }`, { a: pick(), m: [members[randomInt(3)]!.id] }),
      () => call("revoke", `mutation ($a: ID!, $m: [ID!]) { revokeAccountAccess(input: { accountId: $a, memberIds: $m }) { id } }`, { a: pick(), m: [members[randomInt(3)]!.id] }),
      () => call("share", `mutation ($a: ID!) { shareAccount(input: { accountId: $a, workspace: true }) { id } }`, { a: pick() }),
      () => call("revoke", `mutation ($a: ID!) { revokeAccountAccess(input: { accountId: $a, workspace: true }) { id } }`, { a: pick() }),
      async () => {
        const id = pick();
        const result = await call("delete", `mutation ($a: ID!) { deleteAccount(input: { accountId: $a }) { accountId } }`, { a: id });
        if (!result.errors) live.splice(live.indexOf(id), 1);
      },
      async () => {
        // A degraded account reconnected: ACCOUNT_RECOVERED (a healthy one raises nothing).
        const id = pick();
        await a.dataSource.getRepository(AccountEntity).update({ id }, { healthStatus: "DEGRADED" });
        await call("reconnect", `mutation ($a: ID!, $k: String!) { reconnectKeyAccount(input: { accountId: $a, verify: false, credentials: [{ name: "api_key", value: $k }] }) { claimed } }`, { a: id, k: sendgridKey() });
      },
    ];
    const stopAt = Date.now() + WRITE_MS;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (Date.now() < stopAt) await ops[randomInt(ops.length)]!();
      }),
    );

    // Every outcome is a success or a code of the closed set; the failures are the expected races
    // (sharing twice, revoking what is gone, an account deleted meanwhile), never INTERNAL.
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed.filter((o) => !(ERROR_CODES as readonly string[]).includes(o.code ?? "") || o.code === "INTERNAL" || o.code === "SERVICE_UNAVAILABLE")).toEqual([]);
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(50);

    // The log: gapless numbers, one event per successful mutation (a reconnect raises one only
    // when the account was degraded, which the soak sets first; a failed mutation raises none).
    const events = await a.dataSource.getRepository(AccountEventEntity).find({ where: { workspaceId: workspace.id }, order: { seq: "ASC" } });
    const appended = events.filter((e) => e.seq > head);
    expect(appended.map((e) => e.seq)).toEqual(appended.map((_, i) => head + i + 1));
    const succeeded = outcomes.filter((o) => o.ok && o.op !== "reconnect").length;
    const recovered = appended.filter((e) => e.kind === "ACCOUNT_RECOVERED").length;
    expect(appended.length - recovered).toBe(succeeded);
    expect(recovered).toBeLessThanOrEqual(outcomes.filter((o) => o.ok && o.op === "reconnect").length);

    // The last event OWNER and ADMIN are sure to be given: any ACCOUNT_DELETED, or one about an
    // account that still exists (delivery judges the account as it is then).
    const deleted = new Set(appended.filter((e) => e.kind === "ACCOUNT_DELETED").map((e) => e.accountId));
    const deliverable = appended.filter((e) => e.kind === "ACCOUNT_DELETED" || !deleted.has(e.accountId));
    const last = deliverable.at(-1)!.seq;
    await Promise.all(subscribers.map((s, i) => s.finish(running[i]!, i < 3 ? last : null)));
    for (const [i, s] of subscribers.entries()) {
      const cursors = s.received.map((e) => e.cursor);
      // In order, never twice, for every subscriber.
      expect(cursors).toEqual([...new Set(cursors)].sort((x, y) => x - y));
      expect(s.resumes).toBeGreaterThan(3);
      // OWNER and ADMIN may view every account: they got every event, but for events about an
      // account deleted before the subscriber was given them (delivery judges the account as it is
      // then, SPEC §5, and it is gone; its ACCOUNT_DELETED itself is delivered).
      if (i < 3) {
        const got = new Set(cursors);
        expect(deliverable.filter((e) => !got.has(e.seq)).map((e) => e.seq)).toEqual([]);
        expect(cursors.length).toBeGreaterThanOrEqual(deliverable.length);
      }
    }
  });
});
