/**
 * Subscribing (issue #19 §3): N clients connect, authenticate (connection_init), subscribe to one
 * workspace's events from now, and receive one event, at 1,000 and 10,000 clients. The service's
 * CPU per subscription against a bare `ws` server process doing the same handshake (an ack for the
 * init, the subscribe kept as the socket) and broadcasting the same frame, in the same run; and
 * the growth from 1,000 to 10,000 (linear: the same CPU per subscription at both sizes).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { inTransaction } from "../../src/db/transactions";
import { RedisEventBus } from "../../src/events/event-bus";
import { EventLog } from "../../src/events/event-log";
import { createLogger } from "../../src/logging/logger";
import { WorkspaceEntity } from "../../src/modules/workspaces/workspace.entity";
import { connectClients, type ClientSpec } from "../baselines/subscribers-ws";
import { ROOT, benchDatabase, cpuOf, fmt, gql, median, startService, type BenchOptions, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts } from "../seed";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const SUBSCRIPTION = `subscription ($workspaceId: ID!, $after: Int) {
  accountEvents(workspaceId: $workspaceId, after: $after) { id cursor kind workspaceId accountId details occurredAt }
}`;
const MEMBERS = 20;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function subscribe(options: BenchOptions): Promise<ScenarioReport> {
  const sizes = options.smoke ? [50, 200] : (process.env.BENCH_SUBSCRIBE_SIZES?.split(",").map(Number) ?? [1000, 10_000]);
  const db = await benchDatabase("ca_bench_subscribe");
  const service = await startService(options, { DATABASE_URL: db.url, REDIS_URL, WS_MAX_CONNECTIONS_PER_USER: "10000" });
  const raw = spawn(process.execPath, [path.join(ROOT, "dist/bench/baselines/raw-ws-server.js")], { stdio: ["ignore", "pipe", "inherit"] });
  const bus = await RedisEventBus.connect(REDIS_URL, createLogger("warn"));
  const data = await openBenchData(db.url, service.keyRing);
  try {
    const rawPort = await new Promise<number>((resolve) => raw.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim()))));
    const rawUrl = `http://127.0.0.1:${rawPort}/graphql`;
    const owner = await service.token("sub-owner");
    const { createWorkspace: workspace } = await gql<{ createWorkspace: { id: string } }>(service.url, owner, `mutation { createWorkspace(input: { name: "Subscribe" }) { id } }`);
    const tokens: string[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      await gql(service.url, owner, `mutation ($ws: ID!, $user: String!) { addMember(input: { workspaceId: $ws, userId: $user, role: MEMBER }) { id } }`, { ws: workspace.id, user: `sub-member-${i}` });
      tokens.push(await service.token(`sub-member-${i}`));
    }
    const { workspace: ws } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(service.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws: workspace.id });
    const [accountId] = await seedAccounts(data, {
      workspaceId: workspace.id,
      ownerMemberId: ws.members.find((m) => m.userId === "sub-owner")!.id,
      count: 1,
      appSlug: "github",
      credentials: () => ({ oauth_access_token: "gho_subscribe_access" }),
      fields: () => ({ externalId: "sub-gh-1" }),
      grants: () => ["workspace"],
    });
    const log = new EventLog(data.dataSource, bus);
    const raiseEvent = () => inTransaction(data.dataSource, (manager) => log.append(manager, workspace.id, [{ kind: "ACCOUNT_ACCESS_CHANGED", accountId: accountId!, details: { granted: [], revoked: [] } }]));
    const head = async () => (await data.dataSource.getRepository(WorkspaceEntity).findOneByOrFail({ id: workspace.id })).eventSeq;
    await raiseEvent();

    const figures = new Map<number, { service: number[]; raw: number[] }>();
    let lost = 0;
    // Round -1 warms up (JIT, pools) and is not counted.
    for (let round = -1; round < options.rounds; round++) {
      for (const size of sizes) {
        const after = await head();
        const specs: ClientSpec[] = Array.from({ length: size }, (_, i) => ({ token: tokens[i % MEMBERS]!, subscribe: { query: SUBSCRIPTION, variables: { workspaceId: workspace.id, after } } }));
        const c0 = cpuOf(service.pid);
        const subscribers = await connectClients(service.url, specs);
        // Subscribed once the service has nothing left to do for them; then one event proves each live.
        await settle(500);
        await raiseEvent();
        await subscribers.waitForTotal(size, 120_000);
        const serviceCpu = cpuOf(service.pid) - c0;
        lost += subscribers.countOff(1);
        const frame = subscribers.sample!;
        await subscribers.close();

        const r0 = cpuOf(raw.pid!);
        const sockets = await connectClients(rawUrl, specs);
        await settle(500);
        await fetch(`${rawUrl.replace(/\/graphql$/, "")}/broadcast`, { method: "POST", body: frame });
        await sockets.waitForTotal(size, 120_000);
        const rawCpu = cpuOf(raw.pid!) - r0;
        await sockets.close();
        await settle(300);
        if (round < 0) continue;
        const f = figures.get(size) ?? { service: [], raw: [] };
        f.service.push((serviceCpu / size) * 1e6);
        f.raw.push((rawCpu / size) * 1e6);
        figures.set(size, f);
      }
    }
    const perSubscription = (size: number) => median(figures.get(size)!.service);
    const smallest = sizes[0]!;
    const largest = sizes[sizes.length - 1]!;
    const growth = perSubscription(largest) / perSubscription(smallest);
    const rows: Row[] = sizes.map((size) => {
      const f = figures.get(size)!;
      const ratio = median(f.service.map((s, i) => s / f.raw[i]!));
      return {
        scenario: "subscribing: connect, init, subscribe, one event",
        case: `${fmt(size)} clients`,
        service: `${fmt(perSubscription(size))} µs CPU per subscription`,
        baseline: `${fmt(median(f.raw))} µs (bare ws: the same handshake, a broadcast)`,
        ratio,
        goal: "≤ 3× raw; linear",
        met: ratio <= 3 && (size === smallest || growth <= 1.3) && lost === 0,
        detail: size === largest ? `CPU per subscription at ${fmt(largest)} ÷ at ${fmt(smallest)}: ${growth.toFixed(2)}; clients off by a frame: ${lost}` : `clients off by a frame: ${lost}`,
      };
    });
    return {
      rows,
      notes: [
        `Subscribing: ${sizes.map((n) => fmt(n)).join(" and ")} clients per round × ${options.rounds} rounds (a warm-up round first), ${MEMBERS} members' tokens, each client subscribing from the head of one workspace's log, service and raw CPU from /proc from the first connection to the last client's event.`,
      ],
    };
  } finally {
    await data.close();
    await bus.close();
    raw.kill();
    await service.stop();
  }
}
