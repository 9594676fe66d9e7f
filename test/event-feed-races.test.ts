/**
 * The feed reads a workspace's log once for all its subscribers, from the lowest cursor among
 * them. A subscriber that joins with an older cursor, or leaves a pause, while a page is being
 * read or delivered must not be advanced past events that page did not hold for it. These tests
 * make the interleavings happen on purpose: the feed reads the real log through a gate the test
 * opens, so each race is run exactly, not hoped for.
 */
import type { AccountEventType } from "../src/realtime/account-event.type";
import { EventFeed, type FeedSource, type FeedSubscription } from "../src/realtime/event-feed";
import { inTransaction } from "../src/db/transactions";
import type { Principal } from "../src/auth/principal";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildWorkspace } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ REFRESHER_INTERVAL_MS: "0" });
});
afterAll(async () => {
  await service?.close();
});

/** A log reader whose reads the test can hold after they have read (the page is in hand, not yet delivered). */
class GatedSource implements FeedSource {
  held = false;
  private readonly parked: Array<() => void> = [];
  reads = 0;
  constructor(private readonly source: FeedSource) {}
  get dataSource() {
    return this.source.dataSource;
  }
  get bus() {
    return this.source.bus;
  }
  async after(workspaceId: string, seq: number, limit?: number) {
    const rows = await this.source.after(workspaceId, seq, limit);
    this.reads++;
    if (this.held) await new Promise<void>((resolve) => this.parked.push(resolve));
    return rows;
  }
  async waitForParked(count = 1): Promise<void> {
    while (this.parked.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  release(): void {
    this.held = false;
    for (const resolve of this.parked.splice(0)) resolve();
  }
}

async function world(events: number) {
  const { workspace, owner } = await buildWorkspace(service);
  const account = await buildAccount(service, { workspaceId: workspace.id, owner, grants: [WORKSPACE_GRANTEE] });
  const log = service.services.events;
  const base = await log.head(workspace.id);
  await inTransaction(service.dataSource, (manager) =>
    log.append(manager, workspace.id, Array.from({ length: events }, (_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED" as const, accountId: account.id, details: { i } }))),
  );
  const principal: Principal = { userId: owner.userId, displayName: null, email: null, via: "jwt" };
  const source = new GatedSource(log);
  const feed = new EventFeed(source);
  return { workspaceId: workspace.id, principal, source, feed, base };
}

/** Collects what an iterator-mode subscription yields. */
function collect(subscription: FeedSubscription): number[] {
  const got: number[] = [];
  void (async () => {
    for await (const event of subscription) got.push((event as AccountEventType).cursor);
  })();
  return got;
}

async function until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("subscribers joining or resuming while the feed reads", () => {
  it("gives a subscriber that joins with an older cursor during a read every event after its cursor", async () => {
    const w = await world(10);
    w.source.held = true;
    const late = w.feed.open(w.principal, w.workspaceId, w.base + 5, null, null);
    const lateGot = collect(late);
    // The feed has read the page after cursor base+5 and holds it; now an older cursor joins.
    await w.source.waitForParked();
    const early = w.feed.open(w.principal, w.workspaceId, w.base + 2, null, null);
    const earlyGot = collect(early);
    w.source.release();
    await until(() => lateGot.length >= 5 && earlyGot.length >= 8);
    expect(lateGot).toEqual(range(w.base + 6, w.base + 10));
    expect(earlyGot).toEqual(range(w.base + 3, w.base + 10));
    await late.return();
    await early.return();
  });

  it("gives a subscriber that leaves a pause during a read the events it missed, in order", async () => {
    const w = await world(10);
    // Caught up to the head, then paused (its client is full) while ten more events happen.
    const paused = w.feed.open(w.principal, w.workspaceId, w.base + 10, null, null);
    const pausedGot = collect(paused);
    await until(() => w.source.reads > 0);
    paused.paused = true;
    const account = (await service.services.events.after(w.workspaceId, w.base, 1))[0]!.accountId;
    await inTransaction(service.dataSource, (manager) =>
      service.services.events.append(manager, w.workspaceId, Array.from({ length: 10 }, (_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED" as const, accountId: account, details: { i } }))),
    );
    // Another subscriber makes the feed read from base+15; the paused one drains during that read.
    w.source.held = true;
    const active = w.feed.open(w.principal, w.workspaceId, w.base + 15, null, null);
    const activeGot = collect(active);
    await w.source.waitForParked();
    paused.resume();
    w.source.release();
    await until(() => activeGot.length >= 5 && pausedGot.length >= 10);
    expect(activeGot).toEqual(range(w.base + 16, w.base + 20));
    expect(pausedGot).toEqual(range(w.base + 11, w.base + 20));
    await paused.return();
    await active.return();
  });

  it("does not skip the events a direct subscriber was paused for when it resumes in the middle of a page", async () => {
    const w = await world(10);
    // A direct subscriber whose client is "full" after its third event, and that drains while the
    // page is still being delivered (another subscriber's shared preparation is slow).
    const sent: number[] = [];
    const direct = w.feed.open(w.principal, w.workspaceId, w.base, null, null);
    let releaseSlow: (() => void) | undefined;
    direct.deliverDirectly(
      () => undefined,
      (event) => {
        sent.push(event.cursor);
        return sent.length === 3 ? "full" : undefined;
      },
    );
    const slow = w.feed.open(w.principal, w.workspaceId, w.base, null, null);
    slow.deliverDirectly(
      (event) => (event.cursor === w.base + 5 ? new Promise<void>((resolve) => (releaseSlow = resolve)) : undefined),
      () => undefined,
    );
    await until(() => releaseSlow !== undefined);
    // The direct subscriber paused at base+3 and missed base+4 and base+5; it drains now.
    direct.resume();
    releaseSlow!();
    await until(() => sent.length >= 10);
    expect(sent).toEqual(range(w.base + 1, w.base + 10));
    await direct.return();
    await slow.return();
  });
});
