/**
 * A workspace's whole life (docs/operations.md#deleting-a-workspace): deleteWorkspace refused to
 * anyone but a signed-in OWNER who types the name back; a deletion that revokes every OAuth grant
 * at the real provider, closes subscriptions with 4410, sends webhooks a signed WORKSPACE_DELETED,
 * and leaves no row of the workspace in any table (checked table by table from the entity
 * metadata); a process killed in the middle leaves a workspace that reads as gone, finished by the
 * next start; the operator's commands; an export with no secret in it.
 */
import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { GLOBAL_TABLES } from "../src/modules/lifecycle/workspace-tables";
import { StepEntity, StepRunEntity, WorkflowEntity } from "../src/modules/workflows/workflow.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { newId } from "../src/db/ids";
import { buildAccount, buildTeam, newStepRow, sendgridKey } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { CLIENT_ID, CLIENT_SECRET, connectTestApp, instanceEnv, RETURN_URL, startOAuthWorld, TEST_APP, writeTestApp } from "./support/oauth-harness";
import { startServiceProcess } from "./support/service-process";
import { databaseEnv, mariadbUrl } from "./support/test-database";
import type { TestService } from "./support/test-service";
import { WebhookReceiver } from "./support/webhook-receiver";
import { ACCOUNT_EVENTS, Subscriber } from "./support/ws-client";
import { feedOf } from "../src/realtime/event-feed";

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, "..");
const KEYS = `lifecycle:${randomBytes(32).toString("base64")}`;
const DELETE = `mutation ($input: DeleteWorkspaceInput!) { deleteWorkspace(input: $input) { workspaceId status grantsRevoked revocationFailures { accountId appSlug } webhooksNotified } }`;
const WORKSPACE = `query ($id: ID!) { workspace(id: $id) { id name viewerCan { delete } } }`;

interface Deleted {
  deleteWorkspace: { workspaceId: string; status: string; grantsRevoked: number; revocationFailures: Array<{ accountId: string; appSlug: string }>; webhooksNotified: number };
}

/** Polls `check` until it holds, failing at the deadline (a wait for an outside event, not a timing assertion). */
async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not before the deadline`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Rows of the workspace in every table that holds workspace rows (every entity but the global ones), by table. */
async function rowsByTable(dataSource: DataSource, workspaceId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const q = (name: string) => (dataSource.options.type === "better-sqlite3" ? `"${name}"` : `\`${name}\``);
  for (const metadata of dataSource.entityMetadatas) {
    if (GLOBAL_TABLES.has(metadata.tableName)) continue;
    const column = metadata.tableName === "workspaces" ? "id" : "workspace_id";
    const [row] = (await dataSource.query(`SELECT COUNT(*) AS n FROM ${q(metadata.tableName)} WHERE ${q(column)} = ?`, [workspaceId])) as Array<{ n: number | string }>;
    counts[metadata.tableName] = Number(row!.n);
  }
  return counts;
}

/** Every form a secret could leak in: as it is, JSON-escaped, URL-encoded, base64, base64url, hex. */
function leakedForms(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("base64url"), Buffer.from(secret).toString("hex")];
    for (const form of forms) if (text.includes(form)) found.push(`${secret.slice(0, 6)}… as ${form.slice(0, 12)}…`);
  }
  return found;
}

/**
 * A workspace with a row in every table: OAuth accounts through the real provider (two, one
 * shared), a key account, a custom OAuth client, an unfinished connect flow, a workflow with a
 * step and a run, env vars (one secret), an API token, an app request, a webhook endpoint with a
 * delivery, events and audit entries. Answers the secrets it holds.
 */
async function furnish(world: Awaited<ReturnType<typeof startOAuthWorld>>, receiver: WebhookReceiver) {
  const service = world.service;
  const team = await buildTeam(service);
  const owner = team.owner.userId;
  const ws = team.workspace.id;
  const oauthA = await connectTestApp(service, world.provider, team.member.userId, ws);
  const oauthB = await connectTestApp(service, world.provider, owner, ws, "bob");
  dataOf(await service.call(team.member.userId, `mutation ($id: ID!) { shareAccount(input: { accountId: $id, workspace: true }) { id } }`, { id: oauthA }));
  const apiKey = sendgridKey();
  const keyAccount = await buildAccount(service, { workspaceId: ws, owner: team.owner, credentials: { api_key: apiKey } });
  const clientSecret = `client-secret-${randomBytes(12).toString("hex")}`;
  dataOf(await service.call(owner, `mutation ($input: RegisterOAuthClientInput!) { registerOAuthClient(input: $input) { id } }`, { input: { workspaceId: ws, appSlug: TEST_APP, clientId: "own-client", clientSecret } }));
  dataOf(await service.call(owner, `mutation ($input: StartOAuthConnectInput!) { startOAuthConnect(input: $input) { authorizationUrl } }`, { input: { workspaceId: ws, appSlug: TEST_APP } }));
  const workflow = Object.assign(new WorkflowEntity(), { id: newId(), workspaceId: ws, name: "Flow", builderVersion: "V2", createdByMemberId: team.owner.id, createdAt: new Date(), updatedAt: new Date() });
  await service.dataSource.getRepository(WorkflowEntity).insert(workflow);
  const step = newStepRow({ workflowId: workflow.id, workspaceId: ws, position: 0, accountId: keyAccount.id, appSlug: "sendgrid" });
  await service.dataSource.getRepository(StepEntity).insert(step);
  await service.dataSource.getRepository(StepRunEntity).insert(
    Object.assign(new StepRunEntity(), { id: newId(), stepId: step.id, workspaceId: ws, testerMemberId: team.owner.id, status: "SUCCESS", inputs: "{}", exports: "{}", logs: "[]", error: null, durationMs: 5, createdAt: new Date() }),
  );
  const envSecret = `env-secret-${randomBytes(12).toString("hex")}`;
  const setEnv = `mutation ($input: SetEnvironmentVariableInput!) { setEnvironmentVariable(input: $input) { id } }`;
  dataOf(await service.call(owner, setEnv, { input: { workspaceId: ws, name: "API_SECRET", value: envSecret, secret: true } }));
  dataOf(await service.call(owner, setEnv, { input: { workspaceId: ws, name: "API_BASE", value: "https://api.example.test", secret: false } }));
  const apiToken = dataOf(await service.call<{ createApiToken: { token: string } }>(owner, `mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`, { input: { workspaceId: ws, name: "ci" } })).createApiToken.token;
  dataOf(await service.call(owner, `mutation ($input: RequestAppInput!) { requestApp(input: $input) { id } }`, { input: { workspaceId: ws, name: "Some Unlisted App" } }));
  const created = dataOf(
    await service.call<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(owner, `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`, {
      input: { workspaceId: ws, url: receiver.url },
    }),
  ).createWebhookEndpoint;
  receiver.secrets.push(created.secret);
  dataOf(await service.call(owner, `mutation ($id: ID!) { testWebhookEndpoint(endpointId: $id) { status } }`, { id: created.endpoint.id }));
  const accounts = service.dataSource.getRepository(AccountEntity);
  const tokens: string[] = [];
  for (const id of [oauthA, oauthB]) {
    const opened = await service.services.vault.open(service.dataSource, await accounts.findOneByOrFail({ id }));
    tokens.push(...Object.values(opened));
  }
  return { team, ws, owner, oauthIds: [oauthA, oauthB], keyAccount, secrets: [apiKey, clientSecret, envSecret, apiToken, created.secret, ...tokens] };
}

describe("deleteWorkspace", () => {
  let world: Awaited<ReturnType<typeof startOAuthWorld>>;
  let receiver: WebhookReceiver;
  let service: TestService;

  beforeAll(async () => {
    world = await startOAuthWorld({ env: { ENCRYPTION_KEYS: KEYS, OAUTH_RETURN_URLS: RETURN_URL } });
    service = world.service;
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await world?.stop();
  });

  it("is refused to admins, members, API tokens, outsiders and a wrong name, and changes nothing", async () => {
    const team = await buildTeam(service);
    const ws = team.workspace.id;
    const before = await rowsByTable(service.dataSource, ws);
    const name = team.workspace.name;
    expect(codesOf(await service.call(team.admin.userId, DELETE, { input: { workspaceId: ws, confirmName: name } }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.member.userId, DELETE, { input: { workspaceId: ws, confirmName: name } }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call("someone-else", DELETE, { input: { workspaceId: ws, confirmName: name } }))).toEqual(["NOT_FOUND"]);
    for (const wrong of ["", name.toUpperCase(), `${name}x`, name.slice(1)]) {
      const refused = await service.call(team.owner.userId, DELETE, { input: { workspaceId: ws, confirmName: wrong } });
      expect(codesOf(refused)).toEqual(["BAD_USER_INPUT"]);
      expect(refused.errors![0]!.extensions).toMatchObject({ details: { field: "confirmName" } });
    }
    // The owner's own API token (an integration) may not delete the workspace either.
    const token = dataOf(await service.call<{ createApiToken: { token: string } }>(team.owner.userId, `mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }`, { input: { workspaceId: ws, name: "ci", scope: "FULL" } })).createApiToken.token;
    const viaToken = await fetch(service.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ query: DELETE, variables: { input: { workspaceId: ws, confirmName: name } } }) });
    expect(((await viaToken.json()) as { errors: Array<{ extensions: { code: string } }> }).errors.map((e) => e.extensions.code)).toEqual(["FORBIDDEN"]);

    const after = await rowsByTable(service.dataSource, ws);
    expect({ ...after, api_tokens: before.api_tokens }).toEqual(before);
    expect(dataOf(await service.call<{ workspace: { viewerCan: { delete: boolean } } }>(team.owner.userId, WORKSPACE, { id: ws })).workspace.viewerCan.delete).toBe(true);
    expect(dataOf(await service.call<{ workspace: { viewerCan: { delete: boolean } } }>(team.admin.userId, WORKSPACE, { id: ws })).workspace.viewerCan.delete).toBe(false);
  });

  it("revokes every grant once, closes subscriptions with 4410, tells the webhooks, and leaves no row in any table; other workspaces keep theirs", async () => {
    const bystander = await buildTeam(service);
    await buildAccount(service, { workspaceId: bystander.workspace.id, owner: bystander.owner });
    const bystanderBefore = await rowsByTable(service.dataSource, bystander.workspace.id);

    const { team, ws, owner, oauthIds, secrets } = await furnish(world, receiver);
    const before = await rowsByTable(service.dataSource, ws);
    // Every table holds a row of this workspace, so the check after the deletion covers each of them
    // (a new table fails here until the furnishing above puts a row in it).
    for (const [table, count] of Object.entries(before)) expect([table, count > 0]).toEqual([table, true]);

    const subscriber = new Subscriber(service.url, await service.token(team.member.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: ws });
    await until(() => subscriberCount(service, ws) > 0, 8000, "the subscription is open");
    await world.provider.resetStats();
    receiver.messages.length = 0;

    const answer = dataOf(await service.call<Deleted>(owner, DELETE, { input: { workspaceId: ws, confirmName: `  ${team.workspace.name} ` } })).deleteWorkspace;
    expect(answer).toEqual({ workspaceId: ws, status: "DELETED", grantsRevoked: 2, revocationFailures: [], webhooksNotified: 1 });
    expect((await world.provider.stats()).revocationRequests).toBe(oauthIds.length);

    await until(() => subscriber.closed !== null, 8000, "the subscription closes");
    expect(subscriber.closed).toEqual({ code: 4410, reason: "Workspace deleted" });
    const last = receiver.messages.find((m) => m.payload?.type === "WORKSPACE_DELETED");
    expect(last?.payload?.data).toMatchObject({ workspaceId: ws, revocationFailures: [] });

    const after = await rowsByTable(service.dataSource, ws);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await rowsByTable(service.dataSource, bystander.workspace.id)).toEqual(bystanderBefore);

    // Gone for its former members: the workspace, its accounts, a second deletion.
    expect(codesOf(await service.call(owner, WORKSPACE, { id: ws }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await service.call(owner, DELETE, { input: { workspaceId: ws, confirmName: team.workspace.name } }))).toEqual(["NOT_FOUND"]);
    // Nothing of it in the log lines, events or webhook messages.
    const everything = [...service.logs, ...receiver.messages.map((m) => m.body)].join("\n");
    expect(leakedForms(everything, secrets)).toEqual([]);
  });

  it("goes on when the provider refuses a revocation, and reports which grants it could not revoke", async () => {
    const team = await buildTeam(service);
    const accountId = await connectTestApp(service, world.provider, team.owner.userId, team.workspace.id);
    await world.provider.setRevocationMode({ mode: "status", status: 503 });
    try {
      const answer = dataOf(await service.call<Deleted>(team.owner.userId, DELETE, { input: { workspaceId: team.workspace.id, confirmName: team.workspace.name } })).deleteWorkspace;
      expect(answer).toMatchObject({ status: "DELETED", grantsRevoked: 0, revocationFailures: [{ accountId, appSlug: TEST_APP }] });
    } finally {
      await world.provider.setRevocationMode({ mode: "normal" });
    }
    expect(Object.values(await rowsByTable(service.dataSource, team.workspace.id)).every((n) => n === 0)).toBe(true);
  });
});

/** Live subscriptions of the workspace in this process (the subscription is open once it is counted there). */
function subscriberCount(service: TestService, workspaceId: string): number {
  return feedOf(service.services.events).subscriberCount(workspaceId);
}

describe("a deletion interrupted by a real process kill", () => {
  it("leaves a workspace that reads as gone, and the next instance to start finishes it", async () => {
    const world = await startOAuthWorld({ env: { ENCRYPTION_KEYS: KEYS } });
    const children: ChildProcess[] = [];
    try {
      const service = world.service;
      const team = await buildTeam(service);
      const ws = team.workspace.id;
      const accountId = await connectTestApp(service, world.provider, team.owner.userId, ws);
      await connectTestApp(service, world.provider, team.member.userId, ws, "bob");
      await buildAccount(service, { workspaceId: ws, owner: team.member });

      const processEnv = (extra: Record<string, string>) => instanceEnv(world, KEYS, { PROVIDER_TIMEOUT_MS: "5000", DELETION_LEASE_MS: "6000", ...extra });

      // Instance B takes the deletion; the provider takes the first revocation and never answers.
      const victim = await startServiceProcess(await processEnv({ DELETION_SWEEP_MS: "0" }));
      children.push(victim.child);
      await world.provider.resetStats();
      await world.provider.setRevocationMode({ mode: "hang" });
      const token = await service.token(team.owner.userId);
      const pending = fetch(victim.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: DELETE, variables: { input: { workspaceId: ws, confirmName: team.workspace.name } } }),
      }).catch(() => null);
      await until(async () => (await world.provider.stats()).revocationRequests >= 1, 20_000, "B asks the provider to revoke");
      victim.child.kill("SIGKILL");
      await pending;
      await world.provider.setRevocationMode({ mode: "normal" });

      // Half-deleted, and gone for everyone: the workspace, its accounts, their credentials.
      const half = await rowsByTable(service.dataSource, ws);
      expect(half.workspaces).toBe(1);
      expect(half.accounts).toBeGreaterThan(0);
      expect(codesOf(await service.call(team.owner.userId, WORKSPACE, { id: ws }))).toEqual(["NOT_FOUND"]);
      const listed = dataOf(await service.call<{ viewer: { workspaces: Array<{ id: string }> } }>(team.owner.userId, `{ viewer { workspaces { id } } }`)).viewer.workspaces;
      expect(listed.map((w) => w.id)).not.toContain(ws);
      const read = await fetch(`${service.baseUrl}/v1/accounts/${accountId}?include_credentials=1`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(404);

      // The next instance to start finishes it once B's lease has lapsed.
      const next = await startServiceProcess(await processEnv({ DELETION_SWEEP_MS: "500" }));
      children.push(next.child);
      await until(async () => (await rowsByTable(service.dataSource, ws)).workspaces === 0, 40_000, "the next instance finishes the deletion");
      expect(Object.entries(await rowsByTable(service.dataSource, ws)).filter(([, n]) => n > 0)).toEqual([]);
      // Each grant was asked to be revoked: the one in flight at the kill again, the other once.
      expect((await world.provider.stats()).revocationRequests).toBeGreaterThanOrEqual(2);
    } finally {
      for (const child of children) child.kill("SIGKILL");
      await world.stop();
    }
  });
});

describe("the operator's commands", () => {
  let world: Awaited<ReturnType<typeof startOAuthWorld>>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    world = await startOAuthWorld({ env: { ENCRYPTION_KEYS: KEYS } });
    receiver = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver?.stop();
    await world?.stop();
  });

  function run(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const service = world.service;
    const database = service.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(service.dataSource.options.database) } : { DATABASE_URL: mariadbUrl() };
    const env = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      ...databaseEnv(),
      ...database,
      DB_MIGRATE: "false",
      ENCRYPTION_KEYS: KEYS,
      APP_CATALOG_EXTRA_FILE: writeTestApp(world.provider),
      OAUTH_CLIENTS: JSON.stringify({ [TEST_APP]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }),
      LOG_LEVEL: "info",
    };
    return new Promise((resolve) => {
      execFile(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "scripts", script), ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it("exports members, accounts, grants, workflows and the audit trail, with no secret in any form", async () => {
    const { ws, team, oauthIds, keyAccount, secrets } = await furnish(world, receiver);
    const exported = await run("workspace-export.ts", [ws]);
    expect(exported.code).toBe(0);
    expect(leakedForms(exported.stdout + exported.stderr, secrets)).toEqual([]);
    const data = JSON.parse(exported.stdout) as Record<string, Array<Record<string, unknown>>> & { workspace: { id: string } };
    expect(data.workspace.id).toBe(ws);
    expect(data.members!.map((m) => m.userId).sort()).toEqual([team.owner.userId, team.admin.userId, team.member.userId].sort());
    expect(data.accounts!.map((a) => a.id).sort()).toEqual([...oauthIds, keyAccount.id].sort());
    expect(data.grants!.some((g) => g.granteeKey === "workspace")).toBe(true);
    expect(data.workflows!).toHaveLength(1);
    expect(data.steps!).toHaveLength(1);
    expect(data.environmentVariables!.find((v) => v.name === "API_SECRET")).toMatchObject({ secret: true, value: null });
    expect(data.environmentVariables!.find((v) => v.name === "API_BASE")).toMatchObject({ secret: false, value: "https://api.example.test" });
    expect(data.auditTrail!.length).toBeGreaterThan(0);
    expect(data.auditTrail!.map((e) => e.action)).toContain("ACCOUNT_CONNECTED");

    expect((await run("workspace-export.ts", ["no-such-workspace"])).code).toBe(2);
  });

  it("deletes a workspace on --yes (refusing without a confirmation), revoking its grants", async () => {
    const team = await buildTeam(world.service);
    await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const refused = await run("workspace-delete.ts", [team.workspace.id]);
    expect(refused.code).toBe(2);
    expect((await rowsByTable(world.service.dataSource, team.workspace.id)).workspaces).toBe(1);

    await world.provider.resetStats();
    const done = await run("workspace-delete.ts", [team.workspace.id, "--yes"]);
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ workspaceId: team.workspace.id, status: "DELETED", grantsRevoked: 1, revocationFailures: [] });
    expect((await world.provider.stats()).revocationRequests).toBe(1);
    expect(Object.entries(await rowsByTable(world.service.dataSource, team.workspace.id)).filter(([, n]) => n > 0)).toEqual([]);
  });
});
