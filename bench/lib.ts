/**
 * What every benchmark scenario shares: starting the built service as a child process on its own
 * scratch MariaDB database (and MariaDB user, so its SQL statements can be counted apart from
 * everything else on the server), measuring a process's CPU, driving load from N concurrent
 * clients, alternating rounds, and the row format of the results table.
 */
import http from "node:http";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { exportSPKI, SignJWT } from "jose";
import { DEV_ISSUER, loadOrCreateDevKey, mintDevToken } from "../src/auth/dev-keys";
import { KeyRing } from "../src/crypto/key-ring";
import { MARIADB_SERVER_URL, recreateMariaDatabase } from "../scripts/lib/scratch-database";

export const ROOT = path.resolve(__dirname, "..", "..");
const TICKS = 100; // USER_HZ on Linux

/** Run-wide settings: `smoke` is the short version CI may run (figures meaningless, paths exercised). */
export interface BenchOptions {
  smoke: boolean;
  rounds: number;
  /** Write V8 CPU profiles of the service to this folder (BENCH_PROFILE=dir). */
  profileDir?: string;
}

/** One row of the results table. */
export interface Row {
  scenario: string;
  case: string;
  /** The service's figure, with its unit. */
  service: string;
  /** The baseline's figure, with its unit. */
  baseline: string;
  /** Service ÷ baseline (median of the per-round ratios), or null when the goal is not a ratio. */
  ratio: number | null;
  goal: string;
  met: boolean | null;
  /** Throughput, latency percentiles, SQL counts: whatever else explains the figure. */
  detail: string;
}

/** What a scenario returns: its rows and notes printed under the table. */
export interface ScenarioReport {
  rows: Row[];
  notes: string[];
}

export type Scenario = (options: BenchOptions) => Promise<ScenarioReport>;

/** CPU seconds a process has used so far (user + system), from /proc. */
export function cpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/** Kernel-mode CPU seconds a process has used so far (system calls, network stack), from /proc. */
export function systemCpuOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return Number(fields[12]) / TICKS;
}

/** CPU seconds this process has used so far. */
export function ownCpu(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export interface LoadStats {
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `total` operations from `concurrency` clients; returns wall time, rate and latency (ms). */
export async function load(total: number, concurrency: number, operation: () => Promise<void>): Promise<LoadStats> {
  let next = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t = process.hrtime.bigint();
        await operation();
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, perSecond: total / seconds, p50: latencies[Math.floor(latencies.length / 2)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

/** SQL statements a MariaDB user has run so far (USER_STATISTICS; needs userstat, which `benchDatabase` turns on). */
export interface StatementCounts {
  select: number;
  /** INSERT, UPDATE, DELETE, REPLACE. */
  write: number;
  other: number;
}

export async function statementCounts(user: string): Promise<StatementCounts> {
  const connection = await mysql.createConnection({ uri: MARIADB_SERVER_URL });
  try {
    const [rows] = await connection.query("SELECT SELECT_COMMANDS s, UPDATE_COMMANDS w, OTHER_COMMANDS o FROM information_schema.USER_STATISTICS WHERE USER = ?", [user]);
    const row = (rows as Array<{ s: number; w: number; o: number }>)[0];
    return { select: Number(row?.s ?? 0), write: Number(row?.w ?? 0), other: Number(row?.o ?? 0) };
  } finally {
    await connection.end();
  }
}

export const minus = (a: StatementCounts, b: StatementCounts): StatementCounts => ({ select: a.select - b.select, write: a.write - b.write, other: a.other - b.other });

/**
 * A fresh scratch database and a MariaDB user of its own (so `statementCounts` sees only what
 * that user ran). Returns the connection URL as that user.
 */
export async function benchDatabase(name: string): Promise<{ url: string; user: string }> {
  await recreateMariaDatabase(name);
  return benchUser(name, name);
}

/**
 * A second MariaDB user with all rights on an existing bench database, so a baseline process
 * working on the same tables has its SQL statements counted apart from the service's. Returns the
 * connection URL as that user.
 */
export async function benchUser(database: string, user: string): Promise<{ url: string; user: string }> {
  const name = user.slice(0, 32);
  const connection = await mysql.createConnection({ uri: MARIADB_SERVER_URL });
  try {
    await connection.query("SET GLOBAL userstat = 1");
    await connection.query(`DROP USER IF EXISTS '${name}'@'%'`);
    await connection.query(`CREATE USER '${name}'@'%' IDENTIFIED BY 'bench'`);
    await connection.query(`GRANT ALL ON \`${database}\`.* TO '${name}'@'%'`);
  } finally {
    await connection.end();
  }
  const server = new URL(MARIADB_SERVER_URL);
  return { url: `mysql://${name}:bench@${server.host}/${database}`, user: name };
}

/** A running service (built JS) in a child process. */
export interface BenchService {
  child: ChildProcess;
  pid: number;
  /** The GraphQL endpoint. */
  url: string;
  /** The HTTP origin. */
  origin: string;
  keyRing: string;
  /** The signing key's file (a baseline may verify the same tokens). */
  devKeyPath: string;
  /** The issuer of the tokens `token` mints. */
  issuer: string;
  /** The inspector's WebSocket URL, when started with `--inspect` in `nodeArgs`. */
  inspectorUrl?: string;
  /** A token for a user, as the service is configured to accept. */
  token(sub: string): Promise<string>;
  stop(): Promise<void>;
}

let serviceCount = 0;

/** The issuer of the tokens the bench mints for a service in production mode. */
export const BENCH_ISSUER = "urn:connected-accounts:bench";

/**
 * Starts `dist/src/main.js` with the given environment on a free port; resolves once it listens.
 * `nodeArgs` are extra Node flags (e.g. `--inspect=127.0.0.1:0` to read its heap from outside).
 */
export async function startService(options: BenchOptions, env: Record<string, string>, nodeArgs: string[] = []): Promise<BenchService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-bench-"));
  const keyRing = env.ENCRYPTION_KEYS ?? KeyRing.generateSpec("bench");
  const devKeyPath = path.join(dir, "dev.json");
  const devKey = await loadOrCreateDevKey(devKeyPath);
  // Production mode unless a scenario cannot run in it (NODE_ENV=development): it is what is
  // deployed, and libraries take faster paths in it (graphql-js skips its development checks).
  // Its tokens then come from an issuer configured like a real one, signed with the same key.
  const production = (env.NODE_ENV ?? "production") === "production";
  const auth = production
    ? { NODE_ENV: "production", DEV_TOKENS: "false", AUTH_PUBLIC_KEY: await exportSPKI(devKey.publicKey), AUTH_ISSUER: BENCH_ISSUER, GRAPHQL_INTROSPECTION: "false" }
    : { DEV_TOKENS: "true" };
  const full = {
    ...process.env,
    PORT: "0",
    LOG_LEVEL: "info", // the production default: a benchmark must pay for what production logs
    DEV_KEY_PATH: devKeyPath,
    ENCRYPTION_KEYS: keyRing,
    REFRESHER_INTERVAL_MS: "0",
    ...auth,
    ...env,
  };
  const args = [...nodeArgs];
  if (options.profileDir) args.push("--cpu-prof", `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=service-${process.pid}-${++serviceCount}.cpuprofile`);
  const child = spawn(process.execPath, [...args, path.join(ROOT, "dist/src/main.js")], { env: full, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let inspectorUrl: string | undefined;
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
  });
  // The URL is in the "listening" log line, or (LOG_LEVEL above info) in the dev banner on stderr.
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stderr!.on("data", () => {
      const match = /GraphQL:\s+(http\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    const timer = setTimeout(() => reject(new Error(`service did not start: ${stderr}`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"([^"]+)"/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners("data");
        child.stdout!.resume();
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited ${code}: ${stderr}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    url,
    origin: url.replace(/\/graphql$/, ""),
    keyRing,
    inspectorUrl,
    devKeyPath,
    issuer: production ? BENCH_ISSUER : DEV_ISSUER,
    token: async (sub) =>
      production
        ? new SignJWT({}).setProtectedHeader({ alg: "ES256", typ: "JWT" }).setSubject(sub).setIssuer(BENCH_ISSUER).setAudience("connected-accounts").setIssuedAt().setExpirationTime("12h").sign(devKey.privateKey)
        : mintDevToken(devKey, "connected-accounts", { sub }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
      }),
  };
}

/** A GraphQL request that fails loudly on errors (for setup, not for measured paths). */
export async function gql<T = Record<string, unknown>>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** "1,234" */
export const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A keep-alive HTTP request that resolves with the body of a 200 answer and rejects on anything else. */
export function keepAliveRequester(agent: http.Agent, accept: (body: string) => boolean = () => true) {
  return (url: string, init: { method: string; headers: Record<string, string>; body?: string }) =>
    new Promise<string>((resolve, reject) => {
      const req = http.request(url, { ...init, agent }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => (res.statusCode === 200 && accept(body) ? resolve(body) : reject(new Error(`${res.statusCode} ${body.slice(0, 300)}`))));
      });
      req.on("error", reject);
      req.end(init.body);
    });
}
