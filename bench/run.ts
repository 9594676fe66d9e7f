/**
 * Benchmarks (issue #8), measured against baselines in the same run, in alternating rounds; the
 * main figure is server CPU per operation. Prints a markdown table and writes it to
 * .bench-results/results.md. A benchmark, never a test: nothing here fails on a timing.
 *   npm run bench            (BENCH_REQUESTS=2000 BENCH_ROUNDS=3 by default)
 * Scenarios so far: the token fetch (REST and GraphQL) against the raw-fetch floor.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { loadOrCreateDevKey, mintDevToken } from "../src/auth/dev-keys";
import { KeyRing } from "../src/crypto/key-ring";
import { Sealer } from "../src/crypto/sealer";
import { MARIADB_SERVER_URL, recreateMariaDatabase } from "../scripts/lib/scratch-database";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3));
const CONCURRENCY = 10;
const DB = "ca_bench";
const ROOT = path.resolve(__dirname, "..", "..");
const TICKS = 100; // USER_HZ on Linux

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, "dist/src/main.js")], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("service did not start")), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /"url":"([^"]+)"/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`service exited ${code}`)));
  });
  child.stderr!.resume();
  return { child, url };
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** Runs `total` requests with `CONCURRENCY` clients; returns wall time and latencies. */
async function load(total: number, request: () => Promise<void>): Promise<{ seconds: number; p50: number; p99: number }> {
  let next = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next += 1;
        const t = process.hrtime.bigint();
        await request();
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  await recreateMariaDatabase(DB);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-bench-"));
  const keyRing = KeyRing.generateSpec("bench");
  const env = {
    DATABASE_URL: `${MARIADB_SERVER_URL}/${DB}`,
    PORT: "0",
    LOG_LEVEL: "info",
    DEV_TOKENS: "true",
    DEV_KEY_PATH: path.join(dir, "dev.json"),
    ENCRYPTION_KEYS: keyRing,
    REFRESHER_INTERVAL_MS: "0",
  };
  const { child, url } = await startService(env);
  try {
    const token = await mintDevToken(await loadOrCreateDevKey(env.DEV_KEY_PATH), "connected-accounts", { sub: "bench-user" });
    const workspace = (await gql(url, token, `mutation { createWorkspace(input: { name: "Bench" }) { id } }`)).createWorkspace as { id: string };
    const account = (await gql(url, token, `mutation ($ws: ID!) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", credentials: [{ name: "api_key", value: "SG.bench-key-0123456789" }], verify: false }) { id } }`, { ws: workspace.id })).connectKeyAccount as { id: string };
    const restUrl = `${url.replace(/\/graphql$/, "")}/v1/accounts/${account.id}?include_credentials=1`;
    const restFetch = async () => {
      const r = await fetch(restUrl, { headers: { authorization: `Bearer ${token}` } });
      await r.arrayBuffer();
    };
    const graphqlBody = JSON.stringify({ query: `mutation ($id: ID!) { readAccountCredentials(accountId: $id) { fields { name value } } }`, variables: { id: account.id } });
    const graphqlFetch = async () => {
      const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: graphqlBody });
      await r.arrayBuffer();
    };

    // The floor: a prepared primary-key SELECT of the secret + AES-GCM open + JSON.parse, in process.
    const pool = mysql.createPool({ uri: `${MARIADB_SERVER_URL}/${DB}`, connectionLimit: CONCURRENCY });
    const sealer = new Sealer(KeyRing.parse(keyRing));
    const raw = async () => {
      const [rows] = await pool.execute("SELECT envelope, workspace_id FROM account_secrets WHERE account_id = ? AND field = ?", [account.id, "api_key"]);
      const row = (rows as Array<{ envelope: string; workspace_id: string }>)[0]!;
      JSON.parse(JSON.stringify({ value: sealer.open(row.envelope, { workspaceId: row.workspace_id, table: "account_secrets", rowId: account.id, field: "api_key" }) }));
    };

    // Warm up every path, then alternate rounds.
    for (const f of [raw, restFetch, graphqlFetch]) await load(200, f);
    const ratios = { rest: [] as number[], graphql: [] as number[] };
    const figures: Record<string, { cpuUs: number[]; rps: number[]; p50: number[]; p99: number[] }> = {};
    const record = (name: string, cpu: number, stats: { seconds: number; p50: number; p99: number }) => {
      figures[name] ??= { cpuUs: [], rps: [], p50: [], p99: [] };
      figures[name].cpuUs.push((cpu / REQUESTS) * 1e6);
      figures[name].rps.push(REQUESTS / stats.seconds);
      figures[name].p50.push(stats.p50);
      figures[name].p99.push(stats.p99);
    };
    for (let round = 0; round < ROUNDS; round++) {
      const before = process.cpuUsage();
      const rawStats = await load(REQUESTS, raw);
      const used = process.cpuUsage(before);
      const rawCpu = (used.user + used.system) / 1e6;
      record("raw fetch (in process)", rawCpu, rawStats);
      for (const [name, request] of [["REST token fetch", restFetch], ["GraphQL token fetch", graphqlFetch]] as const) {
        const c0 = cpuOf(child.pid!);
        const stats = await load(REQUESTS, request);
        const cpu = cpuOf(child.pid!) - c0;
        record(name, cpu, stats);
        (name.startsWith("REST") ? ratios.rest : ratios.graphql).push(cpu / rawCpu);
      }
    }
    await pool.end();
    const lines = [
      `Token fetch, ${CONCURRENCY} concurrent clients, ${REQUESTS} requests × ${ROUNDS} alternating rounds (medians), ${os.cpus().length} cores, MariaDB.`,
      "",
      "| path | CPU µs/op | × raw fetch (median of rounds) | goal | req/s | p50 ms | p99 ms |",
      "|---|---:|---:|---:|---:|---:|---:|",
      ...Object.entries(figures).map(([name, f]) => {
        const ratio = name.startsWith("REST") ? median(ratios.rest) : name.startsWith("GraphQL") ? median(ratios.graphql) : 1;
        const goal = name.startsWith("REST") ? "≤ 2.0×" : name.startsWith("GraphQL") ? "≤ 3.0×" : "baseline";
        return `| ${name} | ${median(f.cpuUs).toFixed(0)} | ${ratio.toFixed(2)} | ${goal} | ${median(f.rps).toFixed(0)} | ${median(f.p50).toFixed(2)} | ${median(f.p99).toFixed(2)} |`;
      }),
      "",
      "Not yet measured here: SQL statements per fetch, the accounts list, event fan-out, idle subscriptions, proactive refresh, `_entities` (issue #8).",
    ];
    const text = lines.join("\n");
    console.log(text);
    fs.mkdirSync(path.join(ROOT, ".bench-results"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, ".bench-results", "results.md"), text + "\n");
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
