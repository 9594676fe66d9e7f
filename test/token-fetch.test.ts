import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import type { DataSource } from "typeorm";
import { AuditTrailDocument, ReadAccountCredentialsDocument } from "../operations/generated";
import { MARIADB_SERVER_URL, recreateMariaDatabase } from "../scripts/lib/scratch-database";
import { openDataSource } from "../src/data-source";
import { runMigrations } from "../src/db/migrate";
import { newId } from "../src/db/ids";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { AuditEventEntity } from "../src/modules/audit/audit-event.entity";
import { AuditService } from "../src/modules/audit/audit.service";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildTeam } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { freshSqlitePath, TEST_DB } from "./support/test-database";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

const rest = (path: string, token: string) => fetch(`${service.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });

/** Polls `check` until it returns true, failing after `ms` (a deadline, not a timing assertion). */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("condition not met before the deadline");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function oauthAccount(options: { expiresInMs: number }) {
  const team = await buildTeam(service);
  const access = `gho_${randomBytes(12).toString("hex")}`;
  const refresh = `ghr_${randomBytes(12).toString("hex")}`;
  const account = await buildAccount(service, {
    workspaceId: team.workspace.id,
    owner: team.owner,
    appSlug: "github",
    credentials: { oauth_access_token: access, oauth_refresh_token: refresh },
    grants: [WORKSPACE_GRANTEE],
    externalId: `gh-${randomBytes(4).toString("hex")}`,
    fingerprint: false,
  });
  await service.dataSource.getRepository(AccountEntity).update({ id: account.id }, { expiresAt: new Date(Date.now() + options.expiresInMs) });
  return { team, account, access, refresh };
}

describe("fetching a fresh token", () => {
  it("runs one SELECT and writes nothing on the request path; the audit entry follows within the batch interval", async () => {
    const { team, account, access } = await oauthAccount({ expiresInMs: 3600_000 });
    const auditRows = () => service.dataSource.getRepository(AuditEventEntity).countBy({ accountId: account.id, action: "ACCOUNT_CREDENTIALS_READ" });
    const token = await service.token(team.member.userId);

    const { result, queries } = await countQueries(service.dataSource, () => rest(`/v1/accounts/${account.id}?include_credentials=1`, token));
    expect(result.status).toBe(200);
    const { credentials, ...summary } = (await result.json()) as { credentials: Record<string, string> } & Record<string, unknown>;
    // A member it is shared with gets the access token, never the refresh token.
    expect(credentials).toEqual({ oauth_access_token: access, expires_at: expect.any(String) });
    // The account part (built from the columns the fetch reads) says what the GraphQL view says.
    const view = dataOf(
      await service.call<{ account: { id: string; appSlug: string; nickname: string; health: { status: string }; scopes: string[]; externalIdentity: unknown; connectedAt: string } }>(
        team.member.userId,
        `query ($id: ID!) { account(id: $id) { id appSlug nickname health { status } scopes externalIdentity { id displayName } connectedAt } }`,
        { id: account.id },
      ),
    ).account;
    expect(summary).toEqual({ id: view.id, app: view.appSlug, nickname: view.nickname, health: view.health.status, scopes: view.scopes, external_identity: view.externalIdentity, connected_at: view.connectedAt });
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/^SELECT /);

    // Not written by the request, but written without anyone asking, within the batch interval.
    await eventually(async () => (await auditRows()) === 1);
    const [entry] = await service.dataSource.getRepository(AuditEventEntity).findBy({ accountId: account.id, action: "ACCOUNT_CREDENTIALS_READ" });
    expect(entry!.actorUserId).toBe(team.member.userId);
    expect(JSON.parse(entry!.details)).toEqual({ via: "rest", apiToken: null, fields: ["oauth_access_token"] });
  });

  it("gives the owner the refresh token too, from the same single statement", async () => {
    const { team, account, access, refresh } = await oauthAccount({ expiresInMs: 3600_000 });
    const { result, queries } = await countQueries(service.dataSource, () => service.call(team.owner.userId, ReadAccountCredentialsDocument, { accountId: account.id }));
    const fields = dataOf(result).readAccountCredentials.fields;
    expect(Object.fromEntries(fields.map((f) => [f.name, f.value]))).toEqual({ oauth_access_token: access, oauth_refresh_token: refresh });
    expect(queries.filter((q) => /^\s*(INSERT|UPDATE|DELETE)/i.test(q))).toEqual([]);
    expect(queries.filter((q) => /^\s*SELECT/i.test(q))).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown account and for an account in a workspace the caller is not in, writing nothing", async () => {
    const { account } = await oauthAccount({ expiresInMs: 3600_000 });
    const stranger = await buildTeam(service);
    const before = await service.dataSource.getRepository(AuditEventEntity).countBy({ accountId: account.id });
    for (const id of [account.id, newId()]) {
      const result = await service.call(stranger.owner.userId, ReadAccountCredentialsDocument, { accountId: id });
      expect(codesOf(result)).toEqual(["NOT_FOUND"]);
      expect(result.text).not.toContain("gho_");
    }
    await service.services.audit.flush();
    expect(await service.dataSource.getRepository(AuditEventEntity).countBy({ accountId: account.id })).toBe(before);
  });

  it("reading the audit trail right after a fetch shows it (pending entries are written first)", async () => {
    const { team, account } = await oauthAccount({ expiresInMs: 3600_000 });
    await service.call(team.member.userId, ReadAccountCredentialsDocument, { accountId: account.id });
    const trail = dataOf(await service.call(team.owner.userId, AuditTrailDocument, { workspaceId: team.workspace.id, filter: { accountId: account.id } })).auditTrail.nodes;
    expect(trail.filter((n) => n.action === "ACCOUNT_CREDENTIALS_READ").map((n) => n.actorUserId)).toEqual([team.member.userId]);
  });
});

// A data source of its own: these tests break the audit table on purpose, which the database
// other test files share must never see.
describe("batched audit entries", () => {
  const scratch = `ca_test_audit_${randomBytes(4).toString("hex")}`;
  let dataSource: DataSource;
  const workspaceId = newId();
  const actor = { userId: "auditor", memberId: null };

  beforeAll(async () => {
    if (TEST_DB === "mariadb") await recreateMariaDatabase(scratch);
    dataSource = await openDataSource(
      TEST_DB === "mariadb"
        ? { kind: "mariadb", url: `${MARIADB_SERVER_URL}/${scratch}`, poolSize: 2, connectTimeoutMs: 5000, acquireTimeoutMs: 5000, queryTimeoutMs: 10000, migrate: true }
        : { kind: "sqlite", path: freshSqlitePath(), connectTimeoutMs: 5000, acquireTimeoutMs: 5000, queryTimeoutMs: 10000, migrate: true },
    );
    await runMigrations(dataSource);
    // audit_events has no foreign keys to workspaces, so entries can be written without one.
  });
  afterAll(async () => {
    await dataSource?.destroy();
    if (TEST_DB === "mariadb") {
      const connection = await mysql.createConnection({ uri: MARIADB_SERVER_URL });
      await connection.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
      await connection.end();
    }
  });

  const rows = (accountId: string) => dataSource.getRepository(AuditEventEntity).find({ where: { accountId }, order: { id: "ASC" } });
  const breakTable = () => dataSource.query("ALTER TABLE audit_events RENAME TO audit_events_away");
  const mendTable = () => dataSource.query("ALTER TABLE audit_events_away RENAME TO audit_events");

  it("writes every entry, in order, in batches of at most maxBatch rows per INSERT", async () => {
    const audit = new AuditService(dataSource, undefined, { flushIntervalMs: 10_000, maxBatch: 3, maxPending: 100 });
    const accountId = newId();
    for (let i = 0; i < 7; i++) await audit.recordRead(workspaceId, actor, "ACCOUNT_CREDENTIALS_READ", accountId, { n: i });
    // The 3rd, 6th… entry starts a write at once; the rest wait for the interval or a flush.
    const { queries } = await countQueries(dataSource, () => audit.close());
    const written = await rows(accountId);
    expect(written.map((r) => JSON.parse(r.details).n)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(queries.filter((q) => /^INSERT/i.test(q)).length).toBeLessThanOrEqual(3);
    expect(audit.pendingCount).toBe(0);
  });

  it("keeps entries through a failed write and writes them once the database takes them again", async () => {
    const audit = new AuditService(dataSource, undefined, { flushIntervalMs: 20, maxBatch: 50, maxPending: 100 });
    const accountId = newId();
    await breakTable();
    try {
      for (let i = 0; i < 4; i++) await audit.recordRead(workspaceId, actor, "ACCOUNT_CREDENTIALS_READ", accountId, { n: i });
      await expect(audit.flush()).rejects.toThrow();
      expect(audit.pendingCount).toBe(4);
    } finally {
      await mendTable();
    }
    // The retry timer writes them; nobody has to flush.
    await eventually(async () => (await rows(accountId)).length === 4);
    expect((await rows(accountId)).map((r) => JSON.parse(r.details).n)).toEqual([0, 1, 2, 3]);
    await audit.close();
  });

  it("makes readers wait (and fail) beyond maxPending rather than drop entries or grow without bound", async () => {
    const audit = new AuditService(dataSource, undefined, { flushIntervalMs: 10_000, maxBatch: 50, maxPending: 3 });
    const accountId = newId();
    await breakTable();
    try {
      for (let i = 0; i < 3; i++) await audit.recordRead(workspaceId, actor, "ACCOUNT_CREDENTIALS_READ", accountId, { n: i });
      await expect(audit.recordRead(workspaceId, actor, "ACCOUNT_CREDENTIALS_READ", accountId, { n: 3 })).rejects.toThrow();
      expect(audit.pendingCount).toBe(4);
    } finally {
      await mendTable();
    }
    await audit.close();
    expect((await rows(accountId)).map((r) => JSON.parse(r.details).n)).toEqual([0, 1, 2, 3]);
  });
});
