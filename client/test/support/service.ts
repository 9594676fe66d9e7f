// A real Connected Accounts service for the client's tests: the repository's own `src/main.ts`,
// run by ts-node in a child process (the service's dependencies are the repository root's), on a
// fresh SQLite file, trusting a key pair made here. Nothing is mocked.
import { spawn, type ChildProcess } from "node:child_process";
import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const ISSUER = "https://issuer.client-test.example";
const AUDIENCE = "connected-accounts";

/** A key pair the service trusts, and tokens signed with it. */
export class TestIssuer {
  private readonly privateKey: KeyObject;
  readonly publicPem: string;

  constructor() {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicPem = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  }

  /** An RS256 JWT for `sub`, valid for `ttlSec` seconds. */
  token(sub: string, ttlSec = 600): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({ sub, name: sub, iss: ISSUER, aud: AUDIENCE, iat: now - 5, exp: now + ttlSec })}`;
    const signature = createSign("RSA-SHA256").update(unsigned).sign(this.privateKey).toString("base64url");
    return `${unsigned}.${signature}`;
  }
}

/** A running service process. */
export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts the service (PORT 0 picks a free port; pass one to restart on the same port). */
export async function startService(issuer: TestIssuer, options: { sqlitePath?: string; port?: number; env?: Record<string, string> } = {}): Promise<ServiceProcess & { sqlitePath: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "ca-client-test-"));
  const sqlitePath = options.sqlitePath ?? path.join(dataDir, "service.sqlite");
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(REPO_ROOT, "src/main.ts")], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      PORT: String(options.port ?? 0),
      LOG_LEVEL: "info",
      DATA_DIR: dataDir,
      SQLITE_PATH: sqlitePath,
      AUTH_PUBLIC_KEY: issuer.publicPem,
      AUTH_ISSUER: ISSUER,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_CLOCK_TOLERANCE_SEC: "0",
      DEV_TOKENS: "false",
      SHUTDOWN_DELAY_MS: "0",
      REFRESHER_INTERVAL_MS: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    let pending = "";
    const timer = setTimeout(() => reject(new Error(`the service did not start within 60 s: ${stderr}`)), 60_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const match = /"url":"([^"]+)"/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}): ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    child,
    sqlitePath,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One GraphQL call over plain fetch, for setting up worlds (the client under test is not used for this). */
export async function call<T = Record<string, unknown>>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A fresh user id. */
export const uniqueUser = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Creates a workspace owned by `owner`; returns its id. */
export async function createWorkspace(url: string, issuer: TestIssuer, owner: string): Promise<string> {
  const data = await call<{ createWorkspace: { id: string } }>(url, issuer.token(owner), `mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }`, {
    name: `Client test ${owner}`,
  });
  return data.createWorkspace.id;
}

/** Connects a SendGrid key account (not checked at SendGrid: no network here); returns its id. Raises ACCOUNT_CONNECTED. */
export async function connectKeyAccount(url: string, issuer: TestIssuer, user: string, workspaceId: string, nickname: string): Promise<string> {
  const key = `SG.${randomUUID().replace(/-/g, "").slice(0, 22)}.${"x".repeat(43)}`;
  const data = await call<{ connectKeyAccount: { id: string } }>(
    url,
    issuer.token(user),
    `mutation ($input: ConnectKeyAccountInput!) { connectKeyAccount(input: $input) { id } }`,
    { input: { workspaceId, appSlug: "sendgrid", nickname, credentials: [{ name: "api_key", value: key }], verify: false } },
  );
  return data.connectKeyAccount.id;
}

/** Waits until `predicate` holds, polling every 20 ms. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
