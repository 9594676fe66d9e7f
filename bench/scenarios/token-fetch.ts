/**
 * Token fetch: "give me a fresh token for account X", the path every step run takes. An OAuth
 * account whose access token is fresh, fetched by a member it is shared with (not its owner, so
 * the refresh token is not part of the answer), as REST and as GraphQL, from 10 concurrent
 * clients. Baselines in the same run: the raw fetch (a mysql2 prepared primary-key SELECT of the
 * sealed token + AES-GCM open + JSON, in process) and a bare `node:http` server (child process).
 */
import { spawn } from "node:child_process";
import http from "node:http";
import mysql from "mysql2/promise";
import { KeyRing } from "../../src/crypto/key-ring";
import { Sealer } from "../../src/crypto/sealer";
import { benchDatabase, cpuOf, systemCpuOf, fmt, keepAliveRequester, load, median, minus, ownCpu, startService, statementCounts, type BenchOptions, type LoadStats, type Row, type ScenarioReport } from "../lib";
import { seedTokenFetchWorld } from "../seed";

const CONCURRENCY = 10;
const HELLO = `require("node:http").createServer((q, s) => { s.setHeader("content-type", "application/json"); s.end('{"hello":"world"}'); }).listen(0, "127.0.0.1", function () { process.stdout.write(String(this.address().port) + "\\n"); });`;

export async function tokenFetch(options: BenchOptions): Promise<ScenarioReport> {
  const requests = options.smoke ? 200 : Number(process.env.BENCH_REQUESTS ?? 10000);
  const db = await benchDatabase("ca_bench_token");
  const service = await startService(options, { DATABASE_URL: db.url });
  const hello = spawn(process.execPath, ["-e", HELLO], { stdio: ["ignore", "pipe", "inherit"] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const memberToken = await service.token("bench-member");
    const { accountId, accessToken } = await seedTokenFetchWorld(service, db.url, service.keyRing);
    const request = keepAliveRequester(agent);
    const restUrl = `${service.origin}/v1/accounts/${accountId}?include_credentials=1`;
    const rest = async () => {
      const body = await request(restUrl, { method: "GET", headers: { authorization: `Bearer ${memberToken}` } });
      if (!body.includes(accessToken)) throw new Error(`REST fetch without the token: ${body}`);
    };
    const graphqlBody = JSON.stringify({ query: `mutation ($id: ID!) { readAccountCredentials(accountId: $id) { fields { name value } expiresAt } }`, variables: { id: accountId } });
    const graphql = async () => {
      const body = await request(service.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${memberToken}` }, body: graphqlBody });
      if (!body.includes(accessToken)) throw new Error(`GraphQL fetch without the token: ${body}`);
    };
    const helloPort = await new Promise<number>((resolve) => hello.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim()))));
    const bare = async () => {
      await request(`http://127.0.0.1:${helloPort}/`, { method: "GET", headers: {} });
    };

    // The floor, in this process: a prepared primary-key SELECT of the sealed token, open, JSON.
    const pool = mysql.createPool({ uri: db.url, connectionLimit: CONCURRENCY });
    const sealer = new Sealer(KeyRing.parse(service.keyRing));
    const raw = async () => {
      const [rows] = await pool.execute("SELECT envelope, workspace_id FROM account_secrets WHERE account_id = ? AND field = ?", [accountId, "oauth_access_token"]);
      const row = (rows as Array<{ envelope: string; workspace_id: string }>)[0]!;
      JSON.stringify({ oauth_access_token: sealer.open(row.envelope, { workspaceId: row.workspace_id, table: "account_secrets", rowId: accountId!, field: "oauth_access_token" }) });
    };

    // BENCH_TOKEN_CASES=REST (for instance) measures only some paths: a cleaner profile of one.
    const only = process.env.BENCH_TOKEN_CASES?.split(",");
    const paths = [
      { name: "REST", run: rest, pid: service.pid, goal: 2.0 },
      { name: "GraphQL", run: graphql, pid: service.pid, goal: 3.0 },
      { name: "bare node:http", run: bare, pid: hello.pid!, goal: null },
    ].filter((p) => !only || only.includes(p.name));
    for (const warm of [raw, ...paths.map((p) => p.run)]) await load(Math.min(500, requests), CONCURRENCY, warm);
    const figures = new Map<string, { cpu: number[]; ratio: number[]; stats: LoadStats[] }>();
    const sql = new Map<string, { select: number; write: number; other: number }>();
    const kernel = new Map<string, number[]>();
    const push = (name: string, cpu: number, ratio: number, stats: LoadStats) => {
      const f = figures.get(name) ?? { cpu: [], ratio: [], stats: [] };
      f.cpu.push((cpu / requests) * 1e6);
      f.ratio.push(ratio);
      f.stats.push(stats);
      figures.set(name, f);
    };
    for (let round = 0; round < options.rounds; round++) {
      const c0 = ownCpu();
      const rawStats = await load(requests, CONCURRENCY, raw);
      const rawCpu = ownCpu() - c0;
      push("raw", rawCpu, 1, rawStats);
      for (const path of paths) {
        const before = await statementCounts(db.user);
        const p0 = cpuOf(path.pid);
        const k0 = systemCpuOf(path.pid);
        const stats = await load(requests, CONCURRENCY, path.run);
        const cpu = cpuOf(path.pid) - p0;
        kernel.set(path.name, [...(kernel.get(path.name) ?? []), (systemCpuOf(path.pid) - k0) / cpu]);
        if (path.pid === service.pid) {
          const counts = minus(await statementCounts(db.user), before);
          sql.set(path.name, { select: counts.select / requests, write: counts.write / requests, other: counts.other / requests });
        }
        push(path.name, cpu, cpu / rawCpu, stats);
      }
    }
    await pool.end();

    const rawUs = median(figures.get("raw")!.cpu);
    const detail = (name: string) => {
      const f = figures.get(name)!;
      const s = sql.get(name);
      const perSecond = median(f.stats.map((x) => x.perSecond));
      const p50 = median(f.stats.map((x) => x.p50));
      const p99 = median(f.stats.map((x) => x.p99));
      const statements = s ? `; per fetch: ${s.select.toFixed(2)} SELECT, ${s.write.toFixed(2)} writes, ${s.other.toFixed(2)} other` : "";
      const share = kernel.get(name);
      const inKernel = share ? `; ${(median(share) * 100).toFixed(0)}% of it in the kernel` : "";
      return `${fmt(perSecond)} req/s, p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms${statements}${inKernel}`;
    };
    const rows: Row[] = paths.map((path) => {
      const f = figures.get(path.name)!;
      const ratio = median(f.ratio);
      const s = sql.get(path.name);
      const sqlMet = !s || (s.select <= 1.0 && s.write < 0.05);
      return {
        scenario: "token fetch (OAuth, fresh token)",
        case: path.name,
        service: `${fmt(median(f.cpu))} µs CPU`,
        baseline: `${fmt(rawUs)} µs CPU (raw fetch)`,
        ratio,
        goal: path.goal === null ? "(baseline: the HTTP floor)" : `≤ ${path.goal.toFixed(1)}× raw; ≤ 1 SELECT, 0 writes`,
        met: path.goal === null ? null : ratio <= path.goal && sqlMet,
        detail: detail(path.name),
      };
    });
    rows.push({ scenario: "token fetch (OAuth, fresh token)", case: "raw fetch (in process)", service: `${fmt(rawUs)} µs CPU`, baseline: "—", ratio: null, goal: "(baseline)", met: null, detail: detail("raw") });
    return {
      rows,
      notes: [
        `Token fetch: ${fmt(requests)} requests × ${options.rounds} rounds per path, ${CONCURRENCY} concurrent keep-alive clients; service CPU from /proc; SQL statements counted by MariaDB (USER_STATISTICS of the service's own database user).`,
      ],
    };
  } finally {
    agent.destroy();
    hello.kill();
    await service.stop();
  }
}
