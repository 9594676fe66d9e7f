import {
  AddStepDocument,
  ApiTokensDocument,
  AuditTrailDocument,
  CreateApiTokenDocument,
  CreateWorkflowDocument,
  ReadAccountCredentialsDocument,
  RenameAccountDocument,
  RevokeApiTokenDocument,
  SendAccountRequestDocument,
  SetEnvironmentVariableDocument,
  TestStepWithCredentialsDocument,
  ViewerDocument,
} from "../operations/generated";
import { ApiTokenEntity } from "../src/modules/api-tokens/api-token.entity";
import { StepRunEntity } from "../src/modules/workflows/workflow.entity";
import { WORKSPACE_GRANTEE } from "../src/modules/accounts/grant.entity";
import { buildAccount, buildMember, buildTeam, buildWorkspace, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf, gql } from "./support/graphql-client";
import { expected, type AccountKind, type ViewerKind } from "./support/spec-matrix";
import { startTestService, type TestService } from "./support/test-service";

let service: TestService;
let app: FakeApp;
beforeAll(async () => {
  app = await new FakeApp((req) => ({ status: 200, body: { ok: true, sawAuth: req.headers.authorization ?? null } })).start();
  service = await startTestService({ APP_BASE_URL_OVERRIDES: JSON.stringify({ sendgrid: app.url, "asana-token": app.url }) });
});
afterAll(async () => {
  await service?.close();
  await app?.stop();
});

const rest = (path: string, token?: string) =>
  fetch(`${service.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });

describe("credentials via API follow SPEC §3's 'read credentials' row", () => {
  const viewers: ViewerKind[] = ["accountOwner", "OWNER", "ADMIN", "MEMBER", "MEMBER_WITH_GRANT", "outsider"];
  const kinds: AccountKind[] = ["private", "workspace", "viewer", "otherMember", "legacy"];
  const cells = viewers.flatMap((v) => kinds.map((k) => [v, k] as const));

  it.each(cells)("viewer %s, account %s: GraphQL and REST agree with the matrix, and every read is audited", async (viewerKind, kind) => {
    const { workspace, owner: wsOwner } = await buildWorkspace(service);
    const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
    const member = await buildMember(service, workspace.id);
    const withGrant = await buildMember(service, workspace.id);
    const accountOwner = await buildMember(service, workspace.id);
    const bystander = await buildMember(service, workspace.id);
    const outsider = (await buildWorkspace(service)).owner;
    const viewer = { accountOwner, OWNER: wsOwner, ADMIN: admin, MEMBER: member, MEMBER_WITH_GRANT: withGrant, outsider }[viewerKind];
    const grants: string[] = [];
    if (kind === "workspace" || kind === "legacy") grants.push(WORKSPACE_GRANTEE);
    if (kind === "viewer" && viewer !== accountOwner && viewer !== outsider) grants.push(viewer.id);
    if (kind === "otherMember") grants.push(bystander.id);
    if (viewerKind === "MEMBER_WITH_GRANT") grants.push(withGrant.id);
    const key = sendgridKey();
    const account = await buildAccount(service, { workspaceId: workspace.id, owner: kind === "legacy" ? null : accountOwner, credentials: { api_key: key }, grants: [...new Set(grants)] });
    const allowed = expected(viewerKind, kind, "readCredentials", false);
    const canView = expected(viewerKind, kind, "view", false);

    const viaGraphQL = await service.call(viewer.userId, ReadAccountCredentialsDocument, { accountId: account.id });
    const viaRest = await rest(`/v1/accounts/${account.id}?include_credentials=1`, await service.token(viewer.userId));
    expect(viaRest.headers.get("cache-control")).toBe("no-store");
    if (allowed) {
      expect(dataOf(viaGraphQL).readAccountCredentials.fields).toEqual([{ name: "api_key", value: key }]);
      expect(viaRest.status).toBe(200);
      expect(((await viaRest.json()) as { credentials: Record<string, string> }).credentials.api_key).toBe(key);
    } else {
      const code = canView ? "FORBIDDEN" : "NOT_FOUND";
      expect(codesOf(viaGraphQL)).toEqual([code]);
      expect(viaRest.status).toBe(canView ? 403 : 404);
      expect(((await viaRest.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const reads = dataOf(await service.call(wsOwner.userId, AuditTrailDocument, { workspaceId: workspace.id, filter: { accountId: account.id } }))
      .auditTrail.nodes.filter((n) => n.action === "ACCOUNT_CREDENTIALS_READ");
    expect(reads.map((r) => [r.actorUserId, r.details.via])).toEqual(allowed ? [[viewer.userId, "rest"], [viewer.userId, "graphql"]] : []);
    expect(JSON.stringify(reads)).not.toContain(key);
  });
});

describe("personal API tokens", () => {
  it("are shown once, stored as a hash, act with the member's rights in their workspace, and stop working when revoked", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member, credentials: { api_key: key } });
    const created = dataOf(await service.call(team.member.userId, CreateApiTokenDocument, { input: { workspaceId: team.workspace.id, name: "CI" } })).createApiToken;
    expect(created.token).toMatch(/^cat_[A-Za-z0-9]{8}_[\w-]{43}$/);
    expect(created.token.startsWith(created.apiToken.prefix)).toBe(true);
    expect(created.token.endsWith(created.apiToken.last4)).toBe(true);
    const stored = await service.dataSource.getRepository(ApiTokenEntity).findOneByOrFail({ id: created.apiToken.id });
    // The secret part (less the visible last four) appears nowhere in the stored row.
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(created.apiToken.prefix.length + 1, -4));
    const listed = await service.call(team.member.userId, ApiTokensDocument, { workspaceId: team.workspace.id });
    expect(listed.text).not.toContain(created.token);

    const viaToken = await gql(service.url, ReadAccountCredentialsDocument, { accountId: account.id }, { token: created.token });
    expect(dataOf(viaToken).readAccountCredentials.fields).toEqual([{ name: "api_key", value: key }]);
    expect((await rest(`/v1/accounts/${account.id}`, created.token)).status).toBe(200);
    // Bound to its workspace: another workspace of the same user is not reachable with it.
    const elsewhere = await buildWorkspace(service, { owner: team.member.userId });
    const other = await buildAccount(service, { workspaceId: elsewhere.workspace.id, owner: elsewhere.owner });
    expect(codesOf(await gql(service.url, ReadAccountCredentialsDocument, { accountId: other.id }, { token: created.token }))).toEqual(["NOT_FOUND"]);
    // Tokens cannot mint tokens.
    expect(codesOf(await gql(service.url, CreateApiTokenDocument, { input: { workspaceId: team.workspace.id, name: "x" } }, { token: created.token }))).toEqual(["FORBIDDEN"]);

    dataOf(await service.call(team.member.userId, RevokeApiTokenDocument, { id: created.apiToken.id }));
    const refused = await gql(service.url, ViewerDocument, {}, { token: created.token });
    expect(refused.status).toBe(401);
    expect(codesOf(refused)).toEqual(["UNAUTHENTICATED"]);
    expect((await rest(`/v1/accounts/${account.id}`, created.token)).status).toBe(401);
    expect((await gql(service.url, ViewerDocument, {}, { token: created.token.slice(0, -1) + "x" })).status).toBe(401);
  });

  it("a read-only token cannot mutate; a credentials-only token can only read credentials", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member });
    const make = async (scope: "READ_ONLY" | "CREDENTIALS_READ") =>
      dataOf(await service.call(team.member.userId, CreateApiTokenDocument, { input: { workspaceId: team.workspace.id, name: scope, scope } })).createApiToken.token;
    const readOnly = await make("READ_ONLY");
    expect(codesOf(await gql(service.url, ViewerDocument, {}, { token: readOnly }))).toEqual([]);
    expect(codesOf(await gql(service.url, RenameAccountDocument, { input: { accountId: account.id, nickname: "no" } }, { token: readOnly }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await gql(service.url, ReadAccountCredentialsDocument, { accountId: account.id }, { token: readOnly }))).toEqual([]);
    const credentialsOnly = await make("CREDENTIALS_READ");
    expect(codesOf(await gql(service.url, ViewerDocument, {}, { token: credentialsOnly }))).toEqual(["FORBIDDEN"]);
    // The federation fields pass the same gate as every root field.
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { id } } }`;
    expect(codesOf(await gql(service.url, entities, { r: [{ __typename: "Account", id: account.id }] }, { token: credentialsOnly }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await gql(service.url, entities, { r: [{ __typename: "Account", id: account.id }] }, { token: readOnly }))).toEqual([]);
    expect(codesOf(await gql(service.url, ReadAccountCredentialsDocument, { accountId: account.id }, { token: credentialsOnly }))).toEqual([]);
    expect((await rest(`/v1/accounts/${account.id}`, credentialsOnly)).status).toBe(403);
    expect((await rest(`/v1/accounts/${account.id}?include_credentials=1`, credentialsOnly)).status).toBe(200);
  });
});

describe("requests through an account", () => {
  it("reach the app with the account's auth header, which the caller cannot override or see", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: key }, grants: [WORKSPACE_GRANTEE] });
    app.requests.length = 0;
    const sent = await service.call(team.member.userId, SendAccountRequestDocument, {
      input: { accountId: account.id, method: "POST", path: "/v3/mail/send", query: { dry: "1" }, headers: { Authorization: "Bearer stolen", "X-Custom": "yes" }, body: "{}" },
    });
    const result = dataOf(sent).sendAccountRequest;
    expect(result.status).toBe(200);
    expect(app.requests).toHaveLength(1);
    expect(app.requests[0]).toMatchObject({ method: "POST", url: "/v3/mail/send?dry=1", body: "{}" });
    expect(app.requests[0]!.headers.authorization).toBe(`Bearer ${key}`);
    expect(app.requests[0]!.headers["x-custom"]).toBe("yes");
    expect(JSON.parse(result.body)).toEqual({ ok: true, sawAuth: "[redacted]" });
    expect(sent.text).not.toContain(key);
  });

  it("refuses other hosts, absolute URLs and scheme tricks, and callers who may not read the credentials", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, grants: [WORKSPACE_GRANTEE] });
    for (const path of ["https://example.com/", "//example.com/x", "/\\\\example.com", "http:/example.com", "/x\r\nHost: evil"]) {
      const result = await service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId: account.id, method: "GET", path } });
      expect([path, codesOf(result)]).toEqual([path, ["BAD_USER_INPUT"]]);
    }
    const privateOne = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    expect(codesOf(await service.call(team.admin.userId, SendAccountRequestDocument, { input: { accountId: privateOne.id, method: "GET", path: "/" } }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.member.userId, SendAccountRequestDocument, { input: { accountId: privateOne.id, method: "GET", path: "/" } }))).toEqual(["NOT_FOUND"]);
  });
});

describe("external credentials at runtime", () => {
  it("are used for the run only: checked, never stored, redacted from the record, exports and logs", async () => {
    const team = await buildTeam(service);
    const flow = dataOf(await service.call(team.member.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "ext" })).createWorkflow;
    const step = dataOf(await service.call(team.member.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "asana-token", http: { method: "GET", path: "/users/me" } },
    })).addStep;
    const secret = `vault-token-${Math.random().toString(36).slice(2)}`;
    app.requests.length = 0;
    const run = await service.call(team.member.userId, TestStepWithCredentialsDocument, { stepId: step.id, externalCredentials: [{ name: "token", value: secret }] });
    expect(dataOf(run).testStep.status).toBe("SUCCESS");
    expect(app.requests[0]!.headers.authorization).toBe(`Bearer ${secret}`);
    expect(dataOf(run).testStep.exports).toMatchObject({ body: { sawAuth: "[redacted]" } });
    const rows = await service.dataSource.getRepository(StepRunEntity).findBy({ stepId: step.id });
    for (const text of [run.text, JSON.stringify(rows), service.logs.join("\n")]) expect(text).not.toContain(secret);
    const bad = await service.call(team.member.userId, TestStepWithCredentialsDocument, { stepId: step.id, externalCredentials: [{ name: "password", value: secret }] });
    expect(codesOf(bad)).toEqual(["BAD_USER_INPUT"]);
    expect(bad.text).not.toContain(secret);
  });
});

describe("environment variables in step runs", () => {
  it("resolves {{env.NAME}} at run time and redacts secret values from the run record", async () => {
    const team = await buildTeam(service);
    const secret = `env-secret-${Math.random().toString(36).slice(2)}`;
    dataOf(await service.call(team.admin.userId, SetEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "API_TENANT", value: secret } }));
    dataOf(await service.call(team.admin.userId, SetEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "REGION", value: "eu", secret: false } }));
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.member, appSlug: "asana-token", credentials: { token: "t0k3n-value" } });
    const flow = dataOf(await service.call(team.member.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "env" })).createWorkflow;
    const step = dataOf(await service.call(team.member.userId, AddStepDocument, {
      input: {
        workflowId: flow.id,
        kind: "HTTP_REQUEST",
        appSlug: "asana-token",
        accountId: account.id,
        http: { method: "POST", path: "/{{env.REGION}}/items", headers: { "X-Tenant": "{{ env.API_TENANT }}" }, body: '{"t":"{{env.API_TENANT}}","m":"{{env.MISSING}}"}' },
      },
    })).addStep;
    app.requests.length = 0;
    app.handler = (req) => ({ status: 200, body: { tenant: req.headers["x-tenant"] ?? null } });
    const run = dataOf(await service.call(team.member.userId, TestStepWithCredentialsDocument, { stepId: step.id })).testStep;
    expect(app.requests[0]).toMatchObject({ url: "/eu/items", body: `{"t":"${secret}","m":"{{env.MISSING}}"}` });
    expect(app.requests[0]!.headers["x-tenant"]).toBe(secret);
    expect(run.exports).toMatchObject({ body: { tenant: "[redacted]" } });
    expect(run.logs).toContain("unknown environment variables: MISSING");
    const rows = await service.dataSource.getRepository(StepRunEntity).findBy({ stepId: step.id });
    for (const text of [JSON.stringify(run), JSON.stringify(rows), service.logs.join("\n")]) expect(text).not.toContain(secret);
    app.handler = (req) => ({ status: 200, body: { ok: true, sawAuth: req.headers.authorization ?? null } });
  });
});
