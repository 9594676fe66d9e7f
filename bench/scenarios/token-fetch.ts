/**
 * Token fetch: "give me a fresh token for account X", the path every step run takes. An OAuth
 * account whose access token is fresh, fetched by a member it is shared with (not its owner, so
 * the refresh token is not part of the answer), as REST and as GraphQL, from 10 concurrent
 * clients. Baselines in the same run: a hand-written authorized server doing the same work
 * (bench/baselines/token-server.ts; the goals compare with it), the raw fetch (a mysql2 prepared
 * primary-key SELECT of the sealed token + AES-GCM open + JSON, in process) and a bare `node:http`
 * server (child process): the physical floor.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import mysql from "mysql2/promise";
import { KeyRing } from "../../src/crypto/key-ring";
import { Sealer } from "../../src/crypto/sealer";
import { benchDatabase, benchUser, cpuOf, systemCpuOf, fmt, keepAliveRequester, load, ROOT, median, minus, ownCpu, startService, statementCounts, type BenchOptions, type LoadStats, type Row, type ScenarioReport } from "../lib";
import { seedTokenFetchWorld } from "../seed";

const CONCURRENCY = 10;
const HELLO = `require("node:http").createServer((q, s) => { s.setHeader("content-type", "application/json"); s.end('{"hello":"world"}'); }).listen(0, "127.0.0.1", function () { process.stdout.write(String(this.address().port) + "\\n"); });`;

export async function tokenFetch(options: BenchOptions): Promise<ScenarioReport> {
  const requests = options.smoke ? 200 : Number(process.env.BENCH_REQUESTS ?? 10000);
  const db = await benchDatabase("ca_bench_token");
  const service = await startService(options, { DATABASE_URL: db.url });
  const hello = spawn(process.execPath, ["-e", HELLO], { stdio: ["ignore", "pipe", "inherit"] });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let hand: ReturnType<typeof spawn> | undefined;
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
    // The hand-written authorized server: the same work as the service for a fresh token (bench/baselines/token-server.ts).
    const handDb = await benchUser("ca_bench_token", "ca_bench_token_hand");
    const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=baseline-token-${process.pid}.cpuprofile`] : [];
    hand = spawn(process.execPath, [...profile, path.join(ROOT, "dist/bench/baselines/token-server.js")], {
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: handDb.url, DEV_KEY_PATH: service.devKeyPath, AUTH_ISSUER: service.issuer, ENCRYPTION_KEYS: service.keyRing },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const handPort = await new Promise<number>((resolve, reject) => {
      hand!.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim())));
      hand!.once("exit", (code) => reject(new Error(`token-server exited ${code}`)));
    });
    const handUrl = `http://127.0.0.1:${handPort}/v1/accounts/${accountId}?include_credentials=1`;
    const handWritten = async () => {
      const body = await request(handUrl, { method: "GET", headers: { authorization: `Bearer ${memberToken}` } });
      if (!body.includes(accessToken)) throw new Error(`hand-written fetch without the token: ${body}`);
    };
    // Both answer the same JSON for the same fetch (the audit's ids and times aside).
    const serviceAnswer = JSON.parse(await request(restUrl, { method: "GET", headers: { authorization: `Bearer ${memberToken}` } })) as Record<string, unknown>;
    const handAnswer = JSON.parse(await request(handUrl, { method: "GET", headers: { authorization: `Bearer ${memberToken}` } })) as Record<string, unknown>;
    if (JSON.stringify(serviceAnswer) !== JSON.stringify(handAnswer)) throw new Error(`the hand-written server answers otherwise: ${JSON.stringify(handAnswer)} vs ${JSON.stringify(serviceAnswer)}`);
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
      { name: "REST", run: rest, pid: service.pid, goal: 1.3 as number | null },
      { name: "GraphQL", run: graphql, pid: service.pid, goal: 1.6 as number | null },
      { name: "hand-written server", run: handWritten, pid: hand.pid!, goal: null },
      { name: "bare node:http", run: bare, pid: hello.pid!, goal: null },
    ].filter((p) => !only || only.includes(p.name) || p.name === "hand-written server");
    for (const warm of [raw, ...paths.map((p) => p.run)]) await load(Math.min(500, requests), CONCURRENCY, warm);
    const figures = new Map<string, { cpu: number[]; ratio: number[]; stats: LoadStats[] }>();
    const sql = new Map<string, { select: number; write: number; other: number }>();
    const kernel = new Map<string, number[]>();
    const handRatios = new Map<string, number[]>();
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
      const cpuOfRound = new Map<string, number>();
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
        cpuOfRound.set(path.name, cpu);
        push(path.name, cpu, cpu / rawCpu, stats);
      }
      // The goals compare with the hand-written server of the same round.
      for (const path of paths) handRatios.set(path.name, [...(handRatios.get(path.name) ?? []), cpuOfRound.get(path.name)! / cpuOfRound.get("hand-written server")!]);
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
    const handUs = median(figures.get("hand-written server")!.cpu);
    const rows: Row[] = paths.map((path) => {
      const f = figures.get(path.name)!;
      const s = sql.get(path.name);
      // The instance's own background statements (the health count, the retention purge, the
      // deletion sweep) land in the same counters: a few per round of thousands of fetches.
      const sqlMet = !s || (s.select < 1.005 && s.write < 0.05);
      const againstHand = path.goal !== null;
      const ratio = againstHand ? median(handRatios.get(path.name)!) : median(f.ratio);
      return {
        scenario: "token fetch (OAuth, fresh token)",
        case: path.name,
        service: `${fmt(median(f.cpu))} µs CPU`,
        baseline: againstHand ? `${fmt(handUs)} µs CPU (hand-written authorized server)` : `${fmt(rawUs)} µs CPU (raw fetch)`,
        ratio,
        goal: againstHand ? `≤ ${path.goal!.toFixed(1)}× the hand-written server; ≤ 1 SELECT, 0 writes` : path.name === "hand-written server" ? "(baseline: the same work by hand)" : "(baseline: the HTTP floor)",
        met: againstHand ? ratio <= path.goal! && sqlMet : null,
        detail: `${detail(path.name)}; ${(median(f.ratio)).toFixed(2)}× the raw fetch`,
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
    hand?.kill();
    await service.stop();
  }
}
