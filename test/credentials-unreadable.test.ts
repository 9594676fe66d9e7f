/**
 * A sealed credential that does not open (a row altered in the database, or sealed under a key
 * the ring no longer has) is CREDENTIALS_UNREADABLE on every path that opens it, not INTERNAL: the
 * log names the key id (never the value), and nothing about the account changes because of it.
 */
import { randomBytes } from "node:crypto";
import { AccountSecretEntity } from "../src/modules/accounts/account-secret.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildTeam, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";

const ring = (kid: string) => `${kid}:${randomBytes(32).toString("base64")}`;
const K1 = ring("k1");
const K2 = ring("k2");

let app: FakeApp;
let service: TestService;
beforeAll(async () => {
  app = await new FakeApp(() => ({ status: 200, body: { ok: true } })).start();
  service = await startTestService({ ENCRYPTION_KEYS: K1, APP_BASE_URL_OVERRIDES: JSON.stringify({ sendgrid: app.url, github: app.url }) });
});
afterAll(async () => {
  await service?.close();
  await app?.stop();
});

const READ = `mutation ($id: ID!) { readAccountCredentials(accountId: $id) { fields { name value } } }`;
const SEND = `mutation ($id: ID!) { sendAccountRequest(input: { accountId: $id, method: "GET", path: "/v3/user/profile" }) { status } }`;

async function rowsOf(target: TestService, accountId: string) {
  const account = await target.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: accountId });
  const secrets = await target.dataSource.getRepository(AccountSecretEntity).find({ where: { accountId }, order: { field: "ASC" } });
  return JSON.stringify({ account: { ...account, updatedAt: null }, secrets });
}

function expectUnreadable(target: TestService, result: { status: number; errors?: Array<{ message: string; extensions?: { code?: string } }>; text: string }, envelope: string) {
  expect(codesOf(result as never)).toEqual(["CREDENTIALS_UNREADABLE"]);
  expect(result.errors![0]!.message).toMatch(/could not be opened/);
  expect(result.text).not.toContain(envelope.split(".")[3]!);
  const logged = target.logs.filter((line) => line.includes("stored credentials could not be opened"));
  expect(logged.length).toBeGreaterThan(0);
  expect(target.logs.join("\n")).not.toContain(envelope.split(".")[3]!);
  return logged.map((line) => JSON.parse(line) as { kid: string | null; reason: string });
}

describe("credentials that do not open", () => {
  it("answers CREDENTIALS_UNREADABLE for an altered key-based credential over GraphQL, REST and requests through the account, and changes nothing", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: sendgridKey() }, grants: [WORKSPACE_GRANTEE] });
    const secrets = service.dataSource.getRepository(AccountSecretEntity);
    const { envelope } = await secrets.findOneByOrFail({ accountId: account.id, field: "api_key" });
    // One bit of the ciphertext flipped, as a tampered row would be.
    const parts = envelope.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    const tampered = [...parts.slice(0, 3), ct.toString("base64url"), parts[4]].join(".");
    await secrets.update({ accountId: account.id, field: "api_key" }, { envelope: tampered });
    const before = await rowsOf(service, account.id);

    const logged = expectUnreadable(service, await service.call(team.member.userId, READ, { id: account.id }), tampered);
    expect(logged.at(-1)).toMatchObject({ kid: "k1", reason: expect.stringMatching(/authentication failed/) });
    expectUnreadable(service, await service.call(team.member.userId, SEND, { id: account.id }), tampered);
    const rest = await fetch(`${service.baseUrl}/v1/accounts/${account.id}?include_credentials=1`, { headers: { authorization: `Bearer ${await service.token(team.member.userId)}` } });
    expect(rest.status).toBe(500);
    expect(await rest.json()).toEqual({ error: { code: "CREDENTIALS_UNREADABLE", message: expect.stringMatching(/could not be opened/) } });
    expect(await rowsOf(service, account.id)).toBe(before);
  });

  it("answers CREDENTIALS_UNREADABLE for an OAuth account whose refresh token does not open, leaving its health, lease and mark as they were", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, {
      workspaceId: team.workspace.id,
      owner: team.owner,
      appSlug: "github",
      credentials: { oauth_access_token: "gho_expired", oauth_refresh_token: "ghr_refresh" },
      fingerprint: false,
    });
    // Expired: a read must refresh, which opens the refresh token.
    await service.dataSource.getRepository(AccountEntity).update({ id: account.id }, { expiresAt: new Date(Date.now() - 60_000) });
    const secrets = service.dataSource.getRepository(AccountSecretEntity);
    const { envelope } = await secrets.findOneByOrFail({ accountId: account.id, field: "oauth_refresh_token" });
    await secrets.update({ accountId: account.id, field: "oauth_refresh_token" }, { envelope: envelope.replace(/^cas1\.k1\./, "cas1.k9.") });
    const before = await rowsOf(service, account.id);
    const logged = expectUnreadable(service, await service.call(team.owner.userId, READ, { id: account.id }), envelope);
    expect(logged.at(-1)).toMatchObject({ kid: "k9", reason: expect.stringMatching(/not in the key ring/) });
    expect(await rowsOf(service, account.id)).toBe(before);
  });

  it("answers CREDENTIALS_UNREADABLE when the key the credentials were sealed under left the ring", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: sendgridKey() } });
    const { envelope } = await service.dataSource.getRepository(AccountSecretEntity).findOneByOrFail({ accountId: account.id, field: "api_key" });
    const shared: Record<string, string> = service.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(service.dataSource.options.database) } : {};
    // Another instance with only the new key: k1 was dropped before the re-seal ran.
    const rotated = await startTestService({ ENCRYPTION_KEYS: K2, DB_MIGRATE: "false", ...shared });
    try {
      const before = await rowsOf(rotated, account.id);
      const logged = expectUnreadable(rotated, await rotated.call(team.owner.userId, READ, { id: account.id }), envelope);
      expect(logged.at(-1)).toMatchObject({ kid: "k1", reason: expect.stringMatching(/not in the key ring/) });
      expect(await rowsOf(rotated, account.id)).toBe(before);
    } finally {
      await rotated.close();
    }
  });
});
