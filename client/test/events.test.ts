// accountEvents against a real service: live events, resume from the stored cursor, a fresh token
// after 4401, reconnect with backoff across a service restart, and a refused subscription.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { createConnectedAccounts, memoryCursorStore, type AccountEvent, type ConnectedAccountsError, type EventStreamStatus } from "@connected-accounts/client";
import { connectKeyAccount, createWorkspace, startService, TestIssuer, uniqueUser, waitUntil, type ServiceProcess } from "./support/service.js";

const issuer = new TestIssuer();
let service: ServiceProcess & { sqlitePath: string };

before(async () => {
  service = await startService(issuer);
});
after(async () => {
  await service?.stop();
});

// Every stream a test opens is closed after it, failed or not (an open one keeps the process alive).
const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const stream of opened.splice(0)) stream.close();
});
const track = <T extends { close(): void }>(stream: T): T => (opened.push(stream), stream);

/** A stream's observations. */
function recorder() {
  const events: AccountEvent[] = [];
  const errors: Array<{ error: ConnectedAccountsError; fatal: boolean }> = [];
  const statuses: EventStreamStatus[] = [];
  return {
    events,
    errors,
    statuses,
    onEvent: (event: AccountEvent) => void events.push(event),
    onError: (error: ConnectedAccountsError, info: { fatal: boolean }) => void errors.push({ error, fatal: info.fatal }),
    onStatus: (status: EventStreamStatus) => void statuses.push(status),
  };
}

describe("accountEvents", () => {
  it("delivers live events, and a new stream resumes after the stored cursor without a gap or a duplicate", async () => {
    const owner = uniqueUser("owner");
    const workspaceId = await createWorkspace(service.url, issuer, owner);
    const client = createConnectedAccounts({ url: service.url, getToken: async () => issuer.token(owner) });
    const cursorStore = memoryCursorStore();

    const first = recorder();
    const stream = track(client.accountEvents({ workspaceId, cursorStore, ...first }));
    await waitUntil(() => first.statuses.includes("live"), "the first stream to go live");
    const a = await connectKeyAccount(service.url, issuer, owner, workspaceId, "A");
    await waitUntil(() => first.events.length === 1, "the first event");
    assert.equal(first.events[0]!.kind, "ACCOUNT_CONNECTED");
    assert.equal(first.events[0]!.accountId, a);
    stream.close();
    assert.equal(first.statuses.at(-1), "stopped");

    // Missed while no stream ran:
    const b = await connectKeyAccount(service.url, issuer, owner, workspaceId, "B");
    const c = await connectKeyAccount(service.url, issuer, owner, workspaceId, "C");

    const second = recorder();
    const resumed = track(client.accountEvents({ workspaceId, cursorStore, ...second }));
    await waitUntil(() => second.events.length === 2, "the missed events");
    const d = await connectKeyAccount(service.url, issuer, owner, workspaceId, "D");
    await waitUntil(() => second.events.length === 3, "the live event after the replay");
    assert.deepEqual(
      second.events.map((e) => e.accountId),
      [b, c, d],
    );
    const cursors = second.events.map((e) => e.cursor);
    assert.deepEqual(cursors, [...cursors].sort((x, y) => x - y));
    assert.ok(cursors[0]! > first.events[0]!.cursor);
    assert.equal(resumed.cursor, cursors[2]);
    resumed.close();
    assert.deepEqual(second.errors, []);
  });

  it("filters by kind and account, with a cursor key of its own per filter", async () => {
    const owner = uniqueUser("owner");
    const workspaceId = await createWorkspace(service.url, issuer, owner);
    const client = createConnectedAccounts({ url: service.url, getToken: async () => issuer.token(owner) });
    const watched = await connectKeyAccount(service.url, issuer, owner, workspaceId, "Watched");
    await connectKeyAccount(service.url, issuer, owner, workspaceId, "Other");
    const seen = recorder();
    const stream = track(client.accountEvents({ workspaceId, accountIds: [watched], kinds: ["ACCOUNT_CONNECTED"], after: 0, cursorStore: memoryCursorStore(), ...seen }));
    await waitUntil(() => seen.events.length === 1, "the watched account's event");
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      seen.events.map((e) => e.accountId),
      [watched],
    );
    stream.close();
  });

  it("after 4401 (the token ended) reconnects at once with a fresh token and resumes where it was", async () => {
    const owner = uniqueUser("owner");
    const workspaceId = await createWorkspace(service.url, issuer, owner);
    let tokensGiven = 0;
    let holdSecondToken: (() => void) | undefined;
    const secondTokenAsked = new Promise<void>((resolve) => (holdSecondToken = resolve));
    let releaseSecondToken!: () => void;
    const released = new Promise<void>((resolve) => (releaseSecondToken = resolve));
    const client = createConnectedAccounts({
      url: service.url,
      getToken: async () => {
        tokensGiven += 1;
        if (tokensGiven === 1) return issuer.token(owner, 4); // ends in 4 s: the service closes with 4401
        holdSecondToken?.();
        await released; // the app is still renewing its session while an account is connected
        return issuer.token(owner, 600);
      },
    });
    const seen = recorder();
    const stream = track(client.accountEvents({ workspaceId, cursorStore: memoryCursorStore(), ...seen }));
    await waitUntil(() => seen.statuses.includes("live"), "the stream to go live");
    const a = await connectKeyAccount(service.url, issuer, owner, workspaceId, "Before expiry");
    await waitUntil(() => seen.events.length === 1, "the first event");

    await secondTokenAsked; // the connection closed with 4401 and the stream asked for a fresh token
    const b = await connectKeyAccount(service.url, issuer, owner, workspaceId, "While reconnecting");
    releaseSecondToken();
    await waitUntil(() => seen.events.length === 2, "the event connected while the stream was away");
    const c = await connectKeyAccount(service.url, issuer, owner, workspaceId, "After reconnect");
    await waitUntil(() => seen.events.length === 3, "the live event after the reconnect");

    assert.deepEqual(
      seen.events.map((e) => e.accountId),
      [a, b, c],
    );
    assert.equal(tokensGiven, 2);
    assert.deepEqual(
      seen.errors.map((e) => [e.error.code, e.error.closeCode, e.fatal]),
      [["UNAUTHENTICATED", 4401, false]],
    );
    stream.close();
  });

  it("reconnects with backoff while the service is down and resumes after a restart", async () => {
    const issuer2 = new TestIssuer();
    const own = await startService(issuer2);
    let running: ServiceProcess = own;
    try {
      const owner = uniqueUser("owner");
      const workspaceId = await createWorkspace(own.url, issuer2, owner);
      const client = createConnectedAccounts({ url: own.url, getToken: async () => issuer2.token(owner), backoff: { initialMs: 100, maxMs: 1000 } });
      const seen = recorder();
      const stream = track(client.accountEvents({ workspaceId, cursorStore: memoryCursorStore(), ...seen }));
      await waitUntil(() => seen.statuses.includes("live"), "the stream to go live");
      const a = await connectKeyAccount(own.url, issuer2, owner, workspaceId, "Before restart");
      await waitUntil(() => seen.events.length === 1, "the first event");

      await own.stop();
      await waitUntil(() => seen.statuses.filter((s) => s === "retrying").length >= 3, "a few retries while the service is down");
      running = await startService(issuer2, { sqlitePath: own.sqlitePath, port: own.port });
      const b = await connectKeyAccount(own.url, issuer2, owner, workspaceId, "After restart");
      await waitUntil(() => seen.events.length === 2, "the event after the restart");
      assert.deepEqual(
        seen.events.map((e) => e.accountId),
        [a, b],
      );
      assert.equal(seen.statuses.at(-1), "live");
      assert.ok(seen.errors.every((e) => !e.fatal));
      stream.close();
    } finally {
      await running.stop();
    }
  });

  it("stops with the service's code when the subscription itself is refused", async () => {
    const owner = uniqueUser("owner");
    const stranger = uniqueUser("stranger");
    const workspaceId = await createWorkspace(service.url, issuer, owner);
    const client = createConnectedAccounts({ url: service.url, getToken: async () => issuer.token(stranger) });
    const seen = recorder();
    track(client.accountEvents({ workspaceId, cursorStore: memoryCursorStore(), ...seen }));
    await waitUntil(() => seen.statuses.includes("stopped"), "the stream to stop");
    assert.deepEqual(
      seen.errors.map((e) => [e.error.code, e.fatal]),
      [["NOT_FOUND", true]],
    );
  });
});
