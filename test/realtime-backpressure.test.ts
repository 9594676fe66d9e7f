import { spawn } from "node:child_process";
import WebSocket from "ws";
import { inTransaction } from "../src/db/transactions";
import type { NewEvent } from "../src/events/event-log";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildMember, buildWorkspace } from "./support/factories";
import { startTestService, type TestService } from "./support/test-service";

jest.setTimeout(60_000);

const QUERY = `subscription ($workspaceId: ID!, $after: Int) { accountEvents(workspaceId: $workspaceId, after: $after) { cursor details } }`;
// 8,000 events of ~800 bytes: ~6.4 MB, more than the kernel's socket buffers hold for a client that
// does not read (its receive window does not grow once it stopped; the send buffer tops out at
// 4 MB here). A page the feed delivers at once (500 events, ~400 KB) fits in those buffers, so a
// client that reads is never over the bound.
const EVENTS = 8000;
const FILLER = "x".repeat(600);

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ REFRESHER_INTERVAL_MS: "0", WS_MAX_BUFFERED_BYTES: "65536", WS_DRAIN_TIMEOUT_MS: "1000" });
}, 30_000);
afterAll(async () => {
  await service?.close();
});

/** A graphql-ws client on a bare socket, so the test can stop reading from it. */
async function rawSubscriber(token: string, variables: Record<string, unknown>) {
  const socket = new WebSocket(service.url.replace(/^http/, "ws"), "graphql-transport-ws");
  const received: number[] = [];
  let closed: number | null = null;
  socket.on("close", (code) => (closed = code));
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("open", () => {
      socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
      resolve();
    });
  });
  socket.on("message", (data: WebSocket.RawData) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { data?: { accountEvents?: { cursor: number } } } };
    if (message.type === "connection_ack") socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: QUERY, variables } }));
    if (message.type === "next" && message.payload?.data?.accountEvents) received.push(message.payload.data.accountEvents.cursor);
  });
  return { socket, received, closed: () => closed };
}

/**
 * A subscriber that reads, in a process of its own: in this process it would share the service's
 * event loop, and stop reading whenever the service is busy sending (which no real client does).
 * It prints each cursor it receives, then "closed <code>" if the connection ends.
 */
function readerProcess(token: string, variables: Record<string, unknown>) {
  const script = `
    const WebSocket = require("ws");
    const socket = new WebSocket(process.argv[1], "graphql-transport-ws");
    socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: process.argv[2] } })));
    socket.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (m.type === "connection_ack") socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: JSON.parse(process.argv[3]) }));
      if (m.type === "next") process.stdout.write(m.payload.data.accountEvents.cursor + "\\n");
    });
    socket.on("close", (code) => { process.stdout.write("closed " + code + "\\n"); process.exit(0); });
  `;
  const child = spawn(process.execPath, ["-e", script, service.url.replace(/^http/, "ws"), `Bearer ${token}`, JSON.stringify({ query: QUERY, variables })], {
    cwd: __dirname,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const received: number[] = [];
  let closed: number | null = null;
  let partial = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith("closed ")) closed = Number(line.slice(7));
      else if (line) received.push(Number(line));
    }
  });
  return { received, closed: () => closed, stop: () => child.kill() };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not before the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("a subscriber that stops reading", () => {
  it("is disconnected once its unsent bytes stay past WS_MAX_BUFFERED_BYTES beyond WS_DRAIN_TIMEOUT_MS, while a subscriber that reads gets every event", async () => {
    const { workspace, owner } = await buildWorkspace(service);
    const member = await buildMember(service, workspace.id);
    const account = await buildAccount(service, { workspaceId: workspace.id, owner, grants: [WORKSPACE_GRANTEE] });
    const after = await service.services.events.head(workspace.id);
    const raise = (count: number, from: number) => {
      const events: NewEvent[] = Array.from({ length: count }, (_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED", accountId: account.id, details: { i: from + i, filler: FILLER } }));
      return inTransaction(service.dataSource, (manager) => service.services.events.append(manager, workspace.id, events));
    };

    const reader = readerProcess(await service.token(owner.userId), { workspaceId: workspace.id, after });
    const stalled = await rawSubscriber(await service.token(member.userId), { workspaceId: workspace.id, after });
    try {
      // Both are live (one event each), then the second stops reading.
      await raise(1, 0);
      await until(() => reader.received.length === 1, 15_000, "the reader's first event");
      await until(() => stalled.received.length === 1, 10_000, "the stalled subscriber's first event");
      stalled.socket.pause();

      for (let sent = 1; sent < EVENTS; sent += 200) await raise(Math.min(200, EVENTS - sent), sent);
      await until(() => reader.received.length === EVENTS || reader.closed() !== null, 40_000, "the reader's events");
      expect(reader.closed()).toBeNull();
      expect(reader.received).toEqual(Array.from({ length: EVENTS }, (_, i) => after + 1 + i));

      // Past the drain deadline the service cuts it off. Reading again, it finds what the kernel
      // held for it, then the end of the connection (no close frame: 1006), well before the last event.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      stalled.socket.resume();
      await until(() => stalled.closed() !== null, 20_000, "the stalled subscriber being cut off");
      expect(stalled.closed()).toBe(1006);
      expect(stalled.received.length).toBeLessThan(EVENTS);
      // What it got before the cut is in order, without gaps: it can resume from its last cursor.
      expect(stalled.received).toEqual(Array.from({ length: stalled.received.length }, (_, i) => after + 1 + i));
    } finally {
      reader.stop();
      stalled.socket.terminate();
    }
  });
});

describe("a burst larger than the bound, to a client that reads", () => {
  it("pauses delivery while the client drains, then catches it up from the log: every event, in order, and no disconnect", async () => {
    // 1,000 events of ~12 KB (~12 MB; a page the feed sends at once is ~6 MB, more than the kernel's
    // socket buffers) against a 64 KB bound. The client reads in this very process, so it reads
    // nothing while the service is sending: the worst case of a reader that keeps up slowly.
    const { workspace, owner } = await buildWorkspace(service);
    const account = await buildAccount(service, { workspaceId: workspace.id, owner, grants: [WORKSPACE_GRANTEE] });
    const after = await service.services.events.head(workspace.id);
    const client = await rawSubscriber(await service.token(owner.userId), { workspaceId: workspace.id, after });
    try {
      const big = "y".repeat(12 * 1024);
      const events: NewEvent[] = Array.from({ length: 1000 }, (_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED", accountId: account.id, details: { i, filler: big } }));
      await new Promise((resolve) => setTimeout(resolve, 200)); // subscribed
      await inTransaction(service.dataSource, (manager) => service.services.events.append(manager, workspace.id, events));
      await until(() => client.received.length === 1000 || client.closed() !== null, 30_000, "the burst");
      expect(client.closed()).toBeNull();
      expect(client.received).toEqual(Array.from({ length: 1000 }, (_, i) => after + 1 + i));
    } finally {
      client.socket.terminate();
    }
  });
});
