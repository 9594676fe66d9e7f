/**
 * Idle subscriptions: what one open, subscribed, idle graphql-ws connection costs the service in
 * heap, against an idle connection to a bare `ws` server process; and whether the heap returns
 * to its level after 10k connect → subscribe → receive → disconnect cycles. Heap is read from
 * outside through each process's inspector (full GC first), so the service exposes nothing new.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { inTransaction } from "../../src/db/transactions";
import { RedisEventBus } from "../../src/events/event-bus";
import { EventLog } from "../../src/events/event-log";
import { createLogger } from "../../src/logging/logger";
import { WorkspaceEntity } from "../../src/modules/workspaces/workspace.entity";
import { HeapProbe, inspectorUrlOf } from "../baselines/inspector-ws";
import { connectClients, type ClientSpec } from "../baselines/subscribers-ws";
import { ROOT, benchDatabase, fmt, gql, median, startService, type BenchOptions, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts } from "../seed";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SUBSCRIPTION = `subscription ($workspaceId: ID!, $after: Int) {
  accountEvents(workspaceId: $workspaceId, after: $after) { id cursor kind workspaceId accountId details occurredAt }
}`;
const INSPECT = "--inspect=127.0.0.1:0";
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const KB = 1024;

export async function idleSubscriptions(options: BenchOptions): Promise<ScenarioReport> {
  const idle = options.smoke ? 50 : Number(process.env.BENCH_IDLE_CONNECTIONS ?? 2000);
  const cycles = options.smoke ? 50 : Number(process.env.BENCH_IDLE_CYCLES ?? 10_000);
  const members = options.smoke ? 5 : 20;
  // Idle past the connection_init deadline (each connection holds its timer until then); the
  // smoke run shortens the deadline so that it does not spend its time waiting.
  const initTimeoutMs = options.smoke ? 300 : 3000;
  const IDLE_MS = initTimeoutMs + 500;
  const db = await benchDatabase("ca_bench_idle");
  const service = await startService(options, { DATABASE_URL: db.url, REDIS_URL, WS_MAX_CONNECTIONS_PER_USER: "1000", WS_INIT_TIMEOUT_MS: String(initTimeoutMs) }, [INSPECT]);
  const raw = spawn(process.execPath, [INSPECT, path.join(ROOT, "dist/bench/baselines/raw-ws-server.js")], { stdio: ["ignore", "pipe", "pipe"] });
  const bus = await RedisEventBus.connect(REDIS_URL, createLogger("warn"));
  const data = await openBenchData(db.url, service.keyRing);
  const probes: HeapProbe[] = [];
  try {
    const rawInspector = await inspectorUrlOf(raw);
    const rawPort = await new Promise<number>((resolve) => raw.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim()))));
    raw.stderr!.resume();
    const rawUrl = `http://127.0.0.1:${rawPort}/graphql`;
    const serviceHeap = await HeapProbe.connect(service.inspectorUrl!);
    const rawHeap = await HeapProbe.connect(rawInspector);
    probes.push(serviceHeap, rawHeap);

    const owner = await service.token("idle-owner");
    const { createWorkspace: workspace } = await gql<{ createWorkspace: { id: string } }>(service.url, owner, `mutation { createWorkspace(input: { name: "Idle" }) { id } }`);
    const tokens: string[] = [];
    for (let i = 0; i < members; i++) {
      await gql(service.url, owner, `mutation ($ws: ID!, $user: String!) { addMember(input: { workspaceId: $ws, userId: $user, role: MEMBER }) { id } }`, { ws: workspace.id, user: `idle-member-${i}` });
      tokens.push(await service.token(`idle-member-${i}`));
    }
    const { workspace: ws } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(service.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws: workspace.id });
    const [accountId] = await seedAccounts(data, {
      workspaceId: workspace.id,
      ownerMemberId: ws.members.find((m) => m.userId === "idle-owner")!.id,
      count: 1,
      appSlug: "github",
      credentials: () => ({ oauth_access_token: "gho_idle_access" }),
      fields: () => ({ externalId: "idle-gh-1" }),
      grants: () => ["workspace"],
    });
    const log = new EventLog(data.dataSource, bus);
    const raiseEvent = () => inTransaction(data.dataSource, (manager) => log.append(manager, workspace.id, [{ kind: "ACCOUNT_ACCESS_CHANGED", accountId: accountId!, details: { granted: [], revoked: [] } }]));
    const head = async () => (await data.dataSource.getRepository(WorkspaceEntity).findOneByOrFail({ id: workspace.id })).eventSeq;
    await raiseEvent();
    const subscriberSpecs = (n: number, after: number): ClientSpec[] =>
      Array.from({ length: n }, (_, i) => ({ token: tokens[i % members]!, subscribe: { query: SUBSCRIPTION, variables: { workspaceId: workspace.id, after } } }));

    const perService: number[] = [];
    const perRaw: number[] = [];
    const ratios: number[] = [];
    let lost = 0;
    // Round 0 warms up (JIT, the database pool, caches) and is not counted.
    for (let round = -1; round < options.rounds; round++) {
      // Service: N subscriptions, each proven live by one delivered event, then left idle (past the
      // connection_init deadline, whose timer each connection holds until then).
      const s0 = await serviceHeap.heapUsed();
      const subscribers = await connectClients(service.url, subscriberSpecs(idle, await head()));
      await raiseEvent();
      await subscribers.waitForTotal(idle, 60_000);
      lost += subscribers.countOff(1);
      await settle(IDLE_MS);
      const s1 = await serviceHeap.heapUsed();
      // BENCH_IDLE_SNAPSHOT=dir: heap snapshots of the service with and without the subscriptions (first round).
      const snapshots = round === options.rounds - 1 ? process.env.BENCH_IDLE_SNAPSHOT : undefined;
      if (snapshots) await serviceHeap.snapshot(path.join(snapshots, "service-subscribed.heapsnapshot"));
      await subscribers.close();
      await settle(500);
      if (snapshots) await serviceHeap.snapshot(path.join(snapshots, "service-closed.heapsnapshot"));

      const r0 = await rawHeap.heapUsed();
      const sockets = await connectClients(rawUrl, Array.from({ length: idle }, () => ({ token: null })));
      await settle(IDLE_MS);
      const r1 = await rawHeap.heapUsed();
      await sockets.close();
      await settle(500);

      const s2 = await serviceHeap.heapUsed();
      const r2 = await rawHeap.heapUsed();
      if (round < 0) continue;
      // Against the mean of before and after, so a slow drift in the heap does not count.
      const perSub = (s1 - (s0 + s2) / 2) / idle;
      const perConnection = (r1 - (r0 + r2) / 2) / idle;
      perService.push(perSub);
      perRaw.push(perConnection);
      ratios.push(perSub / perConnection);
      process.stderr.write(`bench: idle round ${round + 1}: ${(perSub / KB).toFixed(2)} KB per subscription, raw ${(perConnection / KB).toFixed(2)} KB per connection\n`);
    }

    // Cycles: connect, subscribe (replaying the last event, so each is proven live), disconnect.
    async function cycle(url: string, graphqlWs: boolean, after: number): Promise<void> {
      const batch = 50;
      for (let done = 0; done < cycles; done += batch) {
        const n = Math.min(batch, cycles - done);
        const set = await connectClients(url, graphqlWs ? subscriberSpecs(n, after) : Array.from({ length: n }, () => ({ token: null })), batch);
        if (graphqlWs) {
          await set.waitForTotal(n, 30_000);
          lost += set.countOff(1);
        }
        await set.close();
      }
      await settle(1000);
    }
    const replayFrom = (await head()) - 1;
    const before = await serviceHeap.heapUsed();
    await cycle(service.url, true, replayFrom);
    const after = await serviceHeap.heapUsed();
    const rawBefore = await rawHeap.heapUsed();
    await cycle(rawUrl, false, 0);
    const rawAfter = await rawHeap.heapUsed();

    const perSubscription = median(perService) / KB;
    const growth = (after - before) / KB;
    const rows: Row[] = [
      {
        scenario: "idle subscription",
        case: `heap per subscription at ${fmt(idle)} open`,
        service: `${perSubscription.toFixed(2)} KB`,
        baseline: `${(median(perRaw) / KB).toFixed(2)} KB (idle raw ws connection)`,
        ratio: median(ratios),
        goal: "≤ 10 KB per subscription",
        met: perSubscription <= 10 && lost === 0,
        detail: `median of ${options.rounds} rounds; heap after full GC, read through the inspector; ${lost} subscriptions without exactly one event`,
      },
      {
        scenario: "idle subscription",
        case: `heap after ${fmt(cycles)} connect/disconnect cycles`,
        service: `${growth >= 0 ? "+" : ""}${fmt(growth)} KB (${fmt(before / KB / KB, 1)} → ${fmt(after / KB / KB, 1)} MB)`,
        baseline: `${rawAfter - rawBefore >= 0 ? "+" : ""}${fmt((rawAfter - rawBefore) / KB)} KB (raw ws)`,
        ratio: null,
        goal: "returns to its level (≤ +1 MB)",
        met: growth <= 1024,
        detail: `${fmt((growth * KB) / cycles)} B per cycle; each cycle: connect, authenticate, subscribe, receive one event, disconnect (50 at a time)`,
      },
    ];
    return {
      rows,
      notes: [
        `Idle subscriptions: ${fmt(idle)} graphql-ws connections (${members} members), each with one accountEvents subscription that has received one event, against ${fmt(idle)} idle connections to a bare ws server; both processes run with --inspect so their heap is read the same way (full GC, then used heap).`,
      ],
    };
  } finally {
    for (const probe of probes) probe.close();
    raw.kill();
    await data.close();
    await bus.close();
    await service.stop();
  }
}
