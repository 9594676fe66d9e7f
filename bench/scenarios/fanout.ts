/**
 * Fan-out: one account event delivered to 1k and 10k live subscribers of a workspace (100 members
 * with many connections each, the account shared with the workspace, so authorization at delivery
 * is real work for every subscriber). Events are appended to the durable log by this process and
 * announced through Redis, the multi-instance production path; the service reads the log,
 * authorizes and delivers. Baseline in the same run: a bare `ws` server process broadcasting the
 * very frame the service delivered to the same number of sockets. Main figure: the server's CPU
 * per event; beside it the time until every subscriber had it, and a check that every subscriber
 * got every event exactly once.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { inTransaction } from "../../src/db/transactions";
import { RedisEventBus } from "../../src/events/event-bus";
import { EventLog } from "../../src/events/event-log";
import { createLogger } from "../../src/logging/logger";
import { WorkspaceEntity } from "../../src/modules/workspaces/workspace.entity";
import { connectClients, type ClientSet } from "../baselines/subscribers-ws";
import { ROOT, benchDatabase, cpuOf, fmt, gql, median, startService, type BenchOptions, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts } from "../seed";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SUBSCRIPTION = `subscription ($workspaceId: ID!, $after: Int) {
  accountEvents(workspaceId: $workspaceId, after: $after) { id cursor kind workspaceId accountId details occurredAt }
}`;

interface Figures {
  serviceCpu: number[];
  rawCpu: number[];
  serviceWall: number[];
  rawWall: number[];
  ratio: number[];
  lost: number;
  duplicates: number;
  sampleBytes: number;
}

export async function fanout(options: BenchOptions): Promise<ScenarioReport> {
  // BENCH_FANOUT_SIZES=1000,10000 picks the subscriber counts (e.g. a quick look at one size).
  const sizes = process.env.BENCH_FANOUT_SIZES ? process.env.BENCH_FANOUT_SIZES.split(",").map(Number) : options.smoke ? [100] : [1000, 10_000];
  const members = options.smoke ? 10 : 100;
  const db = await benchDatabase("ca_bench_fanout");
  const service = await startService(options, { DATABASE_URL: db.url, REDIS_URL, WS_MAX_CONNECTIONS_PER_USER: "1000", WS_MAX_BUFFERED_BYTES: "10000000" });
  const raw = spawn(process.execPath, [path.join(ROOT, "dist/bench/baselines/raw-ws-server.js")], { stdio: ["ignore", "pipe", "inherit"] });
  const logger = createLogger("warn");
  const bus = await RedisEventBus.connect(REDIS_URL, logger);
  const data = await openBenchData(db.url, service.keyRing);
  try {
    const rawPort = await new Promise<number>((resolve) => raw.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim()))));
    const rawUrl = `http://127.0.0.1:${rawPort}/graphql`;
    const owner = await service.token("fanout-owner");
    const { createWorkspace: workspace } = await gql<{ createWorkspace: { id: string } }>(service.url, owner, `mutation { createWorkspace(input: { name: "Fan-out" }) { id } }`);
    const memberIds: string[] = [];
    const tokens: string[] = [];
    for (let i = 0; i < members; i++) {
      const { addMember } = await gql<{ addMember: { id: string } }>(service.url, owner, `mutation ($ws: ID!, $user: String!) { addMember(input: { workspaceId: $ws, userId: $user, role: MEMBER }) { id } }`, { ws: workspace.id, user: `fanout-member-${i}` });
      memberIds.push(addMember.id);
      tokens.push(await service.token(`fanout-member-${i}`));
    }
    const { workspace: ws } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(service.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws: workspace.id });
    const ownerMemberId = ws.members.find((m) => m.userId === "fanout-owner")!.id;
    const [accountId] = await seedAccounts(data, {
      workspaceId: workspace.id,
      ownerMemberId,
      count: 1,
      appSlug: "github",
      credentials: () => ({ oauth_access_token: "gho_fanout_access", oauth_refresh_token: "ghr_fanout_refresh" }),
      fields: () => ({ expiresAt: new Date(Date.now() + 7 * 24 * 3600_000), scopes: '["repo"]', externalId: "fanout-gh-1" }),
      grants: () => ["workspace"],
    });
    const log = new EventLog(data.dataSource, bus);
    let toggle = 0;
    const raiseEvent = () =>
      inTransaction(data.dataSource, (manager) =>
        log.append(manager, workspace.id, [{ kind: "ACCOUNT_ACCESS_CHANGED", accountId: accountId!, details: toggle++ % 2 ? { granted: [], revoked: [memberIds[0]!] } : { granted: [memberIds[0]!], revoked: [] } }]),
      );
    const head = async () => (await data.dataSource.getRepository(WorkspaceEntity).findOneByOrFail({ id: workspace.id })).eventSeq;

    const figures = new Map<number, Figures>();
    for (const size of sizes) figures.set(size, { serviceCpu: [], rawCpu: [], serviceWall: [], rawWall: [], ratio: [], lost: 0, duplicates: 0, sampleBytes: 0 });
    const eventsFor = (size: number) => Number(process.env.BENCH_FANOUT_EVENTS ?? 0) || (options.smoke ? 3 : size >= 10_000 ? 5 : 20);
    const timeoutFor = (size: number) => 30_000 + size * 10;

    // Runs `events` deliveries; each waits until every socket has it. Returns CPU and wall per event.
    async function measure(set: ClientSet, pid: number, events: number, deliver: () => Promise<unknown>, size: number) {
      const c0 = cpuOf(pid);
      const walls: number[] = [];
      for (let e = 0; e < events; e++) {
        const target = set.total + size;
        const t0 = process.hrtime.bigint();
        await deliver();
        await set.waitForTotal(target, timeoutFor(size));
        walls.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return { cpu: ((cpuOf(pid) - c0) / events) * 1e3, wall: median(walls) };
    }

    for (let round = 0; round < options.rounds; round++) {
      for (const size of sizes) {
        const f = figures.get(size)!;
        const events = eventsFor(size);
        // Service: subscribe from the current head, so no event can fall between subscribing and measuring.
        const after = await head();
        const specs = Array.from({ length: size }, (_, i) => ({ token: tokens[i % members]!, subscribe: { query: SUBSCRIPTION, variables: { workspaceId: workspace.id, after } } }));
        const subscribers = await connectClients(service.url, specs);
        await raiseEvent(); // warm-up, not measured: also proves every subscription is live
        await subscribers.waitForTotal(size, timeoutFor(size));
        const s = await measure(subscribers, service.pid, events, raiseEvent, size);
        await new Promise((resolve) => setTimeout(resolve, 200)); // anything late or twice would show now
        f.lost += subscribers.countOff(events + 1);
        f.duplicates += subscribers.misordered + subscribers.errors.length;
        const frame = subscribers.sample!;
        f.sampleBytes = Buffer.byteLength(frame);
        await subscribers.close();

        // Baseline: the same frame, the same number of sockets, a bare ws server.
        const sockets = await connectClients(rawUrl, Array.from({ length: size }, () => ({ token: null })));
        const broadcast = () => fetch(`http://127.0.0.1:${rawPort}/broadcast`, { method: "POST", body: frame }).then((r) => r.text());
        await broadcast();
        await sockets.waitForTotal(size, timeoutFor(size));
        const r = await measure(sockets, raw.pid!, events, broadcast, size);
        await sockets.close();

        f.serviceCpu.push(s.cpu);
        f.rawCpu.push(r.cpu);
        f.serviceWall.push(s.wall);
        f.rawWall.push(r.wall);
        f.ratio.push(s.cpu / Math.max(r.cpu, 0.01));
        process.stderr.write(`bench: fanout ${size} round ${round + 1}: service ${s.cpu.toFixed(1)} ms CPU/${s.wall.toFixed(0)} ms wall, raw ${r.cpu.toFixed(1)} ms CPU/${r.wall.toFixed(0)} ms wall\n`);
      }
    }

    const rows: Row[] = sizes.map((size) => {
      const f = figures.get(size)!;
      const ratio = median(f.ratio);
      const wallRatio = median(f.serviceWall) / median(f.rawWall);
      const intact = f.lost === 0 && f.duplicates === 0;
      return {
        scenario: "fan-out of one event",
        case: `${fmt(size)} subscribers`,
        service: `${fmt(median(f.serviceCpu), 1)} ms CPU/event`,
        baseline: `${fmt(median(f.rawCpu), 1)} ms CPU/event (raw ws broadcast)`,
        ratio,
        goal: size >= 10_000 ? "≤ 2.0× raw; nothing lost" : "(nothing lost)",
        met: size >= 10_000 ? ratio <= 2.0 && intact : intact,
        detail: `deliver-to-all ${fmt(median(f.serviceWall))} ms vs ${fmt(median(f.rawWall))} ms raw (${wallRatio.toFixed(2)}×); ${f.lost} subscribers off count, ${f.duplicates} duplicates/errors; frame ${f.sampleBytes} B`,
      };
    });
    return {
      rows,
      notes: [
        `Fan-out: ${members} members sharing the subscriptions, the account shared with the workspace; events appended to the log by the bench and announced through Redis; ${sizes.map((n) => `${fmt(n)} subscribers × ${eventsFor(n)} events`).join(", ")} per round; service and baseline sockets reconnected every round (both sets would not fit the file-descriptor limit at once). Deliver-to-all includes the bench's own reading of every frame, the same for both.`,
      ],
    };
  } finally {
    raw.kill();
    await data.close();
    await bus.close();
    await service.stop();
  }
}
