import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { buildTeam } from "./support/factories";
import { connectTestApp, instanceEnv, startOAuthWorld } from "./support/oauth-harness";
import { mariadbUrl } from "./support/test-database";
import { startServiceProcess } from "./support/service-process";
import { mintToken } from "./support/tokens";

jest.setTimeout(90_000);

const KEYS = `crash:${randomBytes(32).toString("base64")}`;
const TIMINGS = { PROVIDER_TIMEOUT_MS: "2000", REFRESH_LEASE_MS: "3000" };

/** Polls `check` until it holds, failing at the deadline (a wait for an outside event, not a timing assertion). */
async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not before the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds a write lock on an account row (MariaDB) or on the whole SQLite file, until released. */
async function lockAccountRow(databaseFile: string | null, accountId: string): Promise<() => Promise<void>> {
  if (databaseFile) {
    const db = new Database(databaseFile, { timeout: 10_000 });
    db.exec("BEGIN IMMEDIATE");
    return async () => {
      db.exec("ROLLBACK");
      db.close();
    };
  }
  const connection = await mysql.createConnection({ uri: mariadbUrl() });
  await connection.query("START TRANSACTION");
  await connection.query("SELECT id FROM accounts WHERE id = ? FOR UPDATE", [accountId]);
  return async () => {
    await connection.query("ROLLBACK");
    await connection.end();
  };
}

describe("a service process killed during a refresh (SIGKILL, not simulated)", () => {
  it("leaves the account recoverable: the next refresh sees the interruption, nothing older overwrites anything newer, and the failure is visible", async () => {
    const world = await startOAuthWorld({ env: { ...TIMINGS, ENCRYPTION_KEYS: KEYS } });
    let victim: ChildProcess | undefined;
    try {
      const team = await buildTeam(world.service);
      const accountId = await connectTestApp(world.service, world.provider, team.member.userId, team.workspace.id);
      const accounts = world.service.dataSource.getRepository(AccountEntity);
      const before = await world.service.services.vault.open(world.service.dataSource, await accounts.findOneByOrFail({ id: accountId }));
      await accounts.update({ id: accountId }, { expiresAt: new Date(Date.now() - 1000) });

      // A second instance in its own process, on the same database and keys.
      const databaseFile = world.service.dataSource.options.type === "better-sqlite3" ? String(world.service.dataSource.options.database) : null;
      const started = await startServiceProcess(await instanceEnv(world, KEYS, { ...TIMINGS, DB_QUERY_TIMEOUT_MS: "30000" }));
      victim = started.child;

      // It asks the provider for a new token; the provider is slow; while it answers, the row
      // the new token must be written to is locked, so the process is caught between the
      // provider's answer (the refresh token rotated) and its own write. Then it is killed.
      await world.provider.resetStats();
      await world.provider.setTokenMode({ token: "delay", ms: 1500, count: 1 });
      const token = await mintToken(team.member.userId);
      const origin = started.url.replace(/\/graphql$/, "");
      void fetch(`${origin}/v1/accounts/${accountId}?include_credentials=1`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
      await until(async () => (await world.provider.stats()).refreshRequests === 1, 20_000, "the refresh reaching the provider");
      const release = await lockAccountRow(databaseFile, accountId);
      try {
        await new Promise((resolve) => setTimeout(resolve, 2500)); // the provider answers after 1.5 s
        const exited = new Promise((resolve) => victim!.once("exit", resolve));
        victim.kill("SIGKILL");
        await exited;
      } finally {
        await release();
      }

      // What the dead process left: its write-ahead mark and lease, and the old credentials.
      const left = await accounts.findOneByOrFail({ id: accountId });
      expect(left.refreshStartedAt).not.toBeNull();
      expect(left.leaseOwner).not.toBeNull();
      expect((await world.service.services.vault.open(world.service.dataSource, left)).oauth_refresh_token).toBe(before.oauth_refresh_token);

      // The surviving instance takes over once the lease lapses: the stored refresh token was
      // consumed by the lost refresh, the provider refuses it, and the account says why.
      await until(async () => (await accounts.findOneByOrFail({ id: accountId })).leaseUntil!.getTime() < Date.now(), 10_000, "the dead lease lapsing");
      await expect(world.service.services.tokens.getAccessToken(accountId)).rejects.toMatchObject({ code: "CONFLICT" });
      const after = await accounts.findOneByOrFail({ id: accountId });
      expect(after.healthStatus).toBe("NEEDS_RECONNECT");
      expect(after.lastError).toMatch(/interrupted refresh/);
      expect(after.leaseOwner).toBeNull();
      // Both attempts presented the same (old) refresh token; nothing newer was lost by a write.
      expect((await world.provider.stats()).refreshTokensSeen).toEqual([before.oauth_refresh_token, before.oauth_refresh_token]);
      expect((await world.service.services.vault.open(world.service.dataSource, after)).oauth_refresh_token).toBe(before.oauth_refresh_token);
    } finally {
      if (victim && victim.exitCode === null && victim.signalCode === null) victim.kill("SIGKILL");
      await world.stop();
    }
  });
});
