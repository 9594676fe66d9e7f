/**
 * Proactive refresh: N OAuth accounts whose tokens are about to expire, renewed by the service's
 * background refresher (REFRESHER_CONCURRENCY=32) against a fake token endpoint that answers after
 * 50 ms and rotates refresh tokens (bench/baselines/fake-token-endpoint.ts, its own process).
 * Baseline in the same run, alternating with the service: a client sending the same number of
 * refresh grants straight at the fake endpoint from 32 concurrent connections, i.e. the rate the
 * endpoint's real latency allows at that concurrency (the "ideal" concurrency ÷ latency, measured
 * rather than assumed). Both rates are taken from the first request the endpoint sees to the last
 * token being in hand (the client's last answer; for the service, the last account's new token
 * stored, polled in the database). Each round re-expires every account; each account's current
 * refresh token must be exchanged exactly once (a reuse is refused by the endpoint as invalid_grant
 * and counted as a duplicate). A second row runs two instances (16 each) on the same database.
 */
import type { Stats } from "../baselines/fake-token-endpoint";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { MARIADB_SERVER_URL } from "../../scripts/lib/scratch-database";
import { ROOT, benchDatabase, cpuOf, fmt, gql, median, minus, startService, statementCounts, type BenchOptions, type BenchService, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts } from "../seed";

const CONCURRENCY = 32;
const LATENCY_MS = 50;
const GOAL = 0.85;
const APP = "bench-oauth";
const CLIENT = { clientId: "bench-client", clientSecret: "bench-client-secret-0123456789" };

type EndpointStats = Stats;

interface FakeEndpoint {
  url: string;
  child: ChildProcess;
  reset(): Promise<void>;
  stats(): Promise<EndpointStats>;
}

async function startFakeEndpoint(): Promise<FakeEndpoint> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/bench/baselines/fake-token-endpoint.js")], {
    env: { ...process.env, FAKE_LATENCY_MS: String(LATENCY_MS) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`fake token endpoint exited ${code}`)));
    child.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim())));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    reset: async () => void (await fetch(`${url}/reset`, { method: "POST" })).arrayBuffer(),
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as EndpointStats,
  };
}

function writeBenchApp(tokenUrl: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ca-bench-apps-")), "apps.json");
  const app = {
    slug: APP,
    name: "Bench OAuth",
    description: "A fake provider whose token endpoint answers after 50 ms.",
    authType: "OAUTH2",
    categories: ["testing"],
    apiBaseUrl: "http://127.0.0.1:9",
    oauth: { authorizationUrl: "http://127.0.0.1:9/authorize", tokenUrl, defaultScopes: ["read"], scopeSeparator: " ", pkce: true, tokenAuthMethod: "client_secret_post", refreshable: true },
    fields: [],
    auth: { headers: { Authorization: "Bearer {{oauth_access_token}}" } },
  };
  fs.writeFileSync(file, JSON.stringify([app]));
  return file;
}

/** One measurement of a refresh wave: the rate, and what the endpoint saw. */
interface Wave {
  rate: number;
  seconds: number;
  stats: EndpointStats;
}

/** The baseline: `total` refresh grants from 32 concurrent keep-alive clients straight at the endpoint. */
async function baselineWave(fake: FakeEndpoint, total: number, tag: string): Promise<Wave & { p50: number }> {
  await fake.reset();
  let next = 0;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const body = new URLSearchParams({ grant_type: "refresh_token", refresh_token: `base-${tag}-${i}`, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
        const started = performance.now();
        const response = await fetch(`${fake.url}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body });
        await response.text();
        latencies.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`baseline refresh failed: ${response.status}`);
      }
    }),
  );
  const ended = Date.now();
  const stats = await fake.stats();
  const seconds = (ended - stats.firstAt!) / 1000;
  return { rate: total / seconds, seconds, stats, p50: median(latencies) };
}

interface Setup {
  services: BenchService[];
  root: mysql.Pool;
  workspaceId: string;
  count: number;
}

/** Expires every account (due now, token valid for 2 more minutes: inside the refresh-ahead window) and waits until each has a new token. */
async function serviceWave(fake: FakeEndpoint, setup: Setup): Promise<Wave & { pickupMs: number; missing: number; unhealthy: number }> {
  await fake.reset();
  const started = new Date();
  await setup.root.execute("UPDATE accounts SET next_refresh_at = ?, expires_at = ? WHERE workspace_id = ?", [
    new Date(started.getTime() - 1000),
    new Date(started.getTime() + 120_000),
    setup.workspaceId,
  ]);
  const deadline = Date.now() + 60_000 + setup.count * 20;
  let done = 0;
  while (Date.now() < deadline) {
    const [rows] = await setup.root.execute("SELECT COUNT(*) AS n FROM accounts WHERE workspace_id = ? AND last_refreshed_at >= ?", [setup.workspaceId, started]);
    done = Number((rows as Array<{ n: number }>)[0]!.n);
    if (done >= setup.count) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const ended = Date.now();
  const stats = await fake.stats();
  const [bad] = await setup.root.execute("SELECT COUNT(*) AS n FROM accounts WHERE workspace_id = ? AND health_status <> 'HEALTHY'", [setup.workspaceId]);
  const seconds = (ended - (stats.firstAt ?? started.getTime())) / 1000;
  return {
    rate: done / seconds,
    seconds,
    stats,
    pickupMs: (stats.firstAt ?? ended) - started.getTime(),
    missing: setup.count - done,
    unhealthy: Number((bad as Array<{ n: number }>)[0]!.n),
  };
}

async function measure(options: BenchOptions, fake: FakeEndpoint, count: number, instances: number): Promise<{ row: Row; note: string }> {
  const name = instances === 1 ? "ca_bench_refresh" : `ca_bench_refresh_x${instances}`;
  const db = await benchDatabase(name);
  const perInstance = Math.ceil(CONCURRENCY / instances);
  const env = {
    // Outside production mode: production refuses an app whose token URL is plain http on
    // loopback, which the fake endpoint is.
    NODE_ENV: "development",
    DATABASE_URL: db.url,
    APP_CATALOG_EXTRA_FILE: writeBenchApp(`${fake.url}/token`),
    OAUTH_CLIENTS: JSON.stringify({ [APP]: CLIENT }),
    REFRESHER_INTERVAL_MS: "100",
    REFRESHER_CONCURRENCY: String(perInstance),
  };
  const services: BenchService[] = [];
  const root = mysql.createPool({ uri: `${MARIADB_SERVER_URL}/${name}`, connectionLimit: 2, timezone: "Z" });
  try {
    // One after the other: the first applies the migrations, the others find them done.
    for (let i = 0; i < instances; i++) services.push(await startService(options, i === 0 ? env : { ...env, ENCRYPTION_KEYS: services[0]!.keyRing }));
    const first = services[0]!;
    const owner = await first.token("bench-owner");
    const { createWorkspace: workspace } = await gql<{ createWorkspace: { id: string } }>(first.url, owner, `mutation { createWorkspace(input: { name: "Bench refresh" }) { id } }`);
    const { workspace: ws } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(first.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws: workspace.id });
    const data = await openBenchData(db.url, first.keyRing);
    const tag = Math.random().toString(36).slice(2, 8);
    const far = new Date(Date.now() + 3600_000);
    await seedAccounts(data, {
      workspaceId: workspace.id,
      ownerMemberId: ws.members[0]!.id,
      count,
      appSlug: APP,
      credentials: (i) => ({ oauth_access_token: `seed-access-${tag}-${i}`, oauth_refresh_token: `seed-${tag}-${i}` }),
      // Not due until a round expires them.
      fields: (i) => ({ expiresAt: far, nextRefreshAt: far, scopes: '["read"]', externalId: `bench-${i}` }),
    });
    await data.close();
    const setup: Setup = { services, root, workspaceId: workspace.id, count };

    // Warm-up (JIT, pools, keep-alive connections): one wave each, not counted.
    await baselineWave(fake, Math.min(count, 500), `${tag}-warm`);
    const warm = await serviceWave(fake, setup);
    if (warm.missing > 0) throw new Error(`refresh warm-up: ${warm.missing} accounts not refreshed (${JSON.stringify(warm.stats)})`);

    const ratios: number[] = [];
    const service: Array<Awaited<ReturnType<typeof serviceWave>>> = [];
    const baseline: Array<Awaited<ReturnType<typeof baselineWave>>> = [];
    const cpu: number[] = [];
    const sql: Array<{ select: number; write: number; other: number }> = [];
    for (let round = 0; round < options.rounds; round++) {
      const b = await baselineWave(fake, count, `${tag}-${round}`);
      const before = await statementCounts(db.user);
      const c0 = services.reduce((sum, s) => sum + cpuOf(s.pid), 0);
      const s = await serviceWave(fake, setup);
      const used = services.reduce((sum, x) => sum + cpuOf(x.pid), 0) - c0;
      const counts = minus(await statementCounts(db.user), before);
      baseline.push(b);
      service.push(s);
      ratios.push(s.rate / b.rate);
      cpu.push((used / count) * 1e6);
      sql.push({ select: counts.select / count, write: counts.write / count, other: counts.other / count });
    }
    const ratio = median(ratios);
    const duplicates = service.reduce((sum, s) => sum + s.stats.duplicates, 0);
    const exchangedOnce = service.every((s) => s.stats.exchanges === count && s.missing === 0 && s.unhealthy === 0);
    const baselineRate = median(baseline.map((b) => b.rate));
    const p50 = median(baseline.map((b) => b.p50));
    const label = instances === 1 ? `${fmt(count)} accounts, 1 instance × ${perInstance}` : `${fmt(count)} accounts, ${instances} instances × ${perInstance}, one database`;
    const row: Row = {
      scenario: "proactive refresh (fake endpoint, 50 ms)",
      case: label,
      service: `${fmt(median(service.map((s) => s.rate)))} refreshes/s`,
      baseline: `${fmt(baselineRate)} refreshes/s (32 clients straight at the endpoint; ${CONCURRENCY} ÷ p50 ${p50.toFixed(1)} ms = ${fmt(CONCURRENCY / (p50 / 1000))}/s)`,
      ratio,
      goal: `≥ ${GOAL.toFixed(2)}× ideal; 0 duplicates`,
      met: ratio >= GOAL && duplicates === 0 && exchangedOnce,
      detail:
        `${fmt(median(cpu))} µs service CPU/refresh; per refresh ${median(sql.map((x) => x.select)).toFixed(2)} SELECT, ${median(sql.map((x) => x.write)).toFixed(2)} writes, ${median(sql.map((x) => x.other)).toFixed(2)} other; ` +
        `${duplicates} duplicates, every refresh token exchanged exactly once: ${exchangedOnce ? "yes" : "**no**"}; ` +
        `at the endpoint: max ${Math.max(...service.map((s) => s.stats.maxOpen))} open, mean ${fmt(median(service.map((s) => s.stats.busyMs / (s.seconds * 1000))), 1)} in flight; ` +
        `pickup ${fmt(median(service.map((s) => s.pickupMs)))} ms; per-round ratios ${ratios.map((r) => r.toFixed(2)).join(", ")}`,
    };
    const problems = service.filter((s) => s.missing > 0 || s.unhealthy > 0 || s.stats.exchanges !== count || s.stats.duplicates > 0);
    const note =
      problems.length === 0
        ? `Refresh (${label}): ${options.rounds} rounds; rates from the endpoint's first request to the last new token stored (service) or received (baseline); service CPU from /proc (all instances), SQL by MariaDB's USER_STATISTICS.`
        : `Refresh (${label}): ${problems.length} rounds went wrong: ${problems.map((s) => `${s.missing} not refreshed, ${s.unhealthy} unhealthy, ${s.stats.exchanges} exchanges, ${s.stats.duplicates} duplicates`).join("; ")}.`;
    return { row, note };
  } finally {
    await root.end();
    for (const s of services) await s.stop();
  }
}

/** The proactive refresh scenario: one instance, then (unless BENCH_REFRESH_INSTANCES=1) two instances on one database. */
export async function refresh(options: BenchOptions): Promise<ScenarioReport> {
  const count = options.smoke ? 100 : Number(process.env.BENCH_ACCOUNTS ?? 2000);
  const fake = await startFakeEndpoint();
  try {
    const rows: Row[] = [];
    const notes: string[] = [];
    for (const instances of process.env.BENCH_REFRESH_INSTANCES === "1" ? [1] : [1, 2]) {
      const { row, note } = await measure(options, fake, count, instances);
      rows.push(row);
      notes.push(note);
    }
    return { rows, notes };
  } finally {
    fake.child.kill();
  }
}
