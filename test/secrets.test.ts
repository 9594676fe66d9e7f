/**
 * Credentials never leave the vault in clear, through the real HTTP API on SQLite and MariaDB: a
 * canary API key is connected, then every field of every type is requested (the queries are built
 * from the schema by introspection), the logs are read after failures, every table is read row by
 * row, sealed values are moved between rows and fields, and the key ring is rotated and re-sealed.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import mysql from "mysql2/promise";
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import type { DataSource } from "typeorm";
import {
  AccountsDocument,
  AddStepDocument,
  CreateWorkflowDocument,
  TestStepDocument,
  AuditTrailDocument,
  ConnectKeyAccountDocument,
  ImportLegacyAccountsDocument,
  ReconnectKeyAccountDocument,
  RenameAccountDocument,
  ShareAccountDocument,
} from "../operations/generated";
import { MARIADB_SERVER_URL, recreateMariaDatabase } from "../scripts/lib/scratch-database";
import { SealError } from "../src/crypto/sealer";
import { AccountSecretEntity } from "../src/modules/accounts/account-secret.entity";
import { AccountEntity } from "../src/modules/accounts/account.entity";
import { buildAccount, buildMember, buildTeam, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { codesOf, dataOf, type GraphQLResult } from "./support/graphql-client";
import { freshSqlitePath, TEST_DB } from "./support/test-database";
import { startTestService, type TestService } from "./support/test-service";
import { OtlpReceiver } from "./support/otlp-receiver";
import { AccountEventEntity } from "../src/events/event.entity";
import { webhookPayload } from "../src/modules/webhooks/webhook.service";
import { flushTracing } from "../src/observability/tracing";

// The canary: a SendGrid-shaped key with a random core, and characters that URL-encoding changes.
const CORE = randomBytes(12).toString("hex");
const CANARY = `SG.canary${CORE}+/=~`;
// A value the app's pattern (^SG\.) refuses, and one for an app without a pattern.
const MALFORMED = `canary-${randomBytes(12).toString("hex")}`;
const UNSEALABLE = `cas1.canary${randomBytes(12).toString("hex")}`;

/** The ways a secret could show up: in clear, base64/base64url at any byte alignment, hex, URL- and form-encoded. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = [secret, bytes.toString("hex"), encodeURIComponent(secret), new URLSearchParams({ k: secret }).toString().slice(2)];
  for (const encoding of ["base64", "base64url"] as const) {
    forms.push(bytes.toString(encoding));
    // Embedded at byte offset 0, 1 or 2 (mod 3) of a longer text, the groups wholly inside the
    // secret encode the same whatever surrounds it: those middles are what a scan must look for.
    for (const pad of [0, 1, 2]) forms.push(Buffer.concat([Buffer.alloc(pad), bytes]).toString(encoding).slice(4, -4));
  }
  return [...new Set(forms)];
}
const CANARY_FORMS = [...formsOf(CANARY), CORE];
const ALL_FORMS = [...CANARY_FORMS, ...formsOf(MALFORMED), ...formsOf(UNSEALABLE)];

// Any 20 consecutive characters of a form count as a leak (a truncated or partial echo too): every
// such window holds random characters of the canary, so nothing else matches by chance.
const WINDOW = 20;
function windowsOf(forms: string[]): Map<string, string> {
  const windows = new Map<string, string>();
  for (const form of forms) {
    if (form.length < WINDOW) throw new Error(`canary form ${form} is shorter than the scan window`);
    for (let i = 0; i + WINDOW <= form.length; i++) windows.set(form.slice(i, i + WINDOW), form);
  }
  return windows;
}
const ALL_WINDOWS = windowsOf(ALL_FORMS);

/** Fails naming the form and where it was found, when part of any form of the canaries occurs in `text`. */
function expectNoCanary(text: string, where: string, windows: Map<string, string> = ALL_WINDOWS): void {
  for (let at = 0; at + WINDOW <= text.length; at++) {
    const form = windows.get(text.slice(at, at + WINDOW));
    if (form !== undefined) {
      throw new Error(`${where} contains part of a form of the canary (${form}): …${text.slice(Math.max(0, at - 120), at + 120)}…`);
    }
  }
}

const expectNoCanaryInResult = (result: GraphQLResult<unknown>, where: string) => {
  expect(result.text.length).toBeGreaterThan(0);
  expectNoCanary(result.text, where);
};

const ENTITY_TABLES = ["workspaces", "members", "accounts", "account_secrets", "account_grants", "audit_events"];

const fakeApp = new FakeApp();
// Metrics and traces are on: what they expose is scanned too (the last describe).
const otlp = new OtlpReceiver();
const METRICS_TOKEN = `metrics-${randomBytes(12).toString("hex")}`;
const sqlitePath = TEST_DB === "sqlite" ? freshSqlitePath() : undefined;
let service: TestService;

beforeAll(async () => {
  await fakeApp.start();
  await otlp.start();
  service = await startTestService({
    ...(sqlitePath ? { SQLITE_PATH: sqlitePath } : {}),
    METRICS_TOKEN,
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
    APP_BASE_URL_OVERRIDES: JSON.stringify({ sendgrid: fakeApp.url }),
    PROVIDER_TIMEOUT_MS: "2000",
    LOG_LEVEL: "trace",
    GRAPHQL_MAX_DEPTH: "30",
    GRAPHQL_MAX_ALIASES: "200",
    GRAPHQL_MAX_COST: "1000000",
  });
});
afterAll(async () => {
  await service?.close();
  await fakeApp.stop();
  await otlp.stop();
});

type Team = Awaited<ReturnType<typeof buildTeam>>;

/** Connects the canary as `user` (verify off), the way a frontend would. */
async function connectCanary(team: Team, user = team.owner.userId, nickname = "Canary mail") {
  const result = await service.call(user, ConnectKeyAccountDocument, {
    input: { workspaceId: team.workspace.id, appSlug: "sendgrid", nickname, credentials: [{ name: "api_key", value: CANARY }], verify: false },
  });
  expectNoCanaryInResult(result, "connectKeyAccount");
  return dataOf(result).connectKeyAccount;
}

// ---------------------------------------------------------------------------------------------
// Queries built from the schema: every field (without required arguments) of every type, to a depth.

const SWEEP_DEPTH = 5;

/** Which (type, field) pairs the generated selections requested. */
type Coverage = Set<string>;

/** Fields that can be selected without arguments the sweep would have to invent. */
function selectableFields(type: GraphQLObjectType) {
  return Object.values(type.getFields()).filter((f) => !f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined));
}

/** A selection set of every field of `type`, nested `depth` levels; null when nothing fits. */
// Inside a union or interface, fields are aliased per branch type: two types may share a field name
// with different nullability (Account.appSlug vs Step.appSlug), which one selection set may not mix.
function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number, coverage: Coverage, alias?: string): string | null {
  if (depth <= 0) return null;
  if (isAbstractType(type)) {
    const branches = schema
      .getPossibleTypes(type)
      .map((t) => [t, selectionOf(schema, t, depth, coverage, t.name)] as const)
      .filter(([, inner]) => inner !== null)
      .map(([t, inner]) => `... on ${t.name} ${inner}`);
    return branches.length > 0 ? `{ __typename ${branches.join(" ")} }` : null;
  }
  if (!isObjectType(type)) return null;
  const parts = ["__typename"];
  for (const field of selectableFields(type)) {
    const named = getNamedType(field.type);
    const name = alias ? `${alias}_${field.name}: ${field.name}` : field.name;
    if (isLeafType(named)) {
      parts.push(name);
    } else {
      const inner = selectionOf(schema, named, depth - 1, coverage);
      if (inner === null) continue;
      parts.push(`${name} ${inner}`);
    }
    coverage.add(`${type.name}.${field.name}`);
  }
  return `{ ${parts.join(" ")} }`;
}

/** Object types reachable from these fields' types through selectable fields. */
function reachableTypes(schema: GraphQLSchema, start: GraphQLNamedType[]): GraphQLObjectType[] {
  const seen = new Map<string, GraphQLObjectType>();
  const queue = [...start];
  while (queue.length > 0) {
    const type = queue.pop()!;
    const concrete = isAbstractType(type) ? [...schema.getPossibleTypes(type)] : isObjectType(type) ? [type] : [];
    for (const object of concrete) {
      if (seen.has(object.name)) continue;
      seen.set(object.name, object);
      for (const field of selectableFields(object)) queue.push(getNamedType(field.type));
    }
  }
  return [...seen.values()];
}

describe("the API never returns a credential", () => {
  it("connects, shares, renames and lists the canary account, then requests every field of every type, as its owner and as a member it is shared with", async () => {
    const team = await buildTeam(service);
    const account = await connectCanary(team);
    expect(account).toMatchObject({ nickname: "Canary mail", appSlug: "sendgrid", shared: "PRIVATE", isLegacy: false });
    expect(account.owner?.id).toBe(team.owner.id);

    const shared = await service.call(team.owner.userId, ShareAccountDocument, {
      input: { accountId: account.id, workspace: true, memberIds: [team.member.id] },
    });
    expectNoCanaryInResult(shared, "shareAccount");
    expect(dataOf(shared).shareAccount.shared).toBe("WORKSPACE");
    const renamed = await service.call(team.owner.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "Canary renamed" } });
    expectNoCanaryInResult(renamed, "renameAccount");
    expect(dataOf(renamed).renameAccount.nickname).toBe("Canary renamed");
    const listed = await service.call(team.member.userId, AccountsDocument, { workspaceId: team.workspace.id });
    expectNoCanaryInResult(listed, "accounts");
    expect(dataOf(listed).accounts.nodes.map((n) => [n.id, n.nickname, n.viewerCan.readCredentials])).toEqual([[account.id, "Canary renamed", true]]);
    const trail = await service.call(team.owner.userId, AuditTrailDocument, { workspaceId: team.workspace.id });
    expectNoCanaryInResult(trail, "auditTrail");
    expect(dataOf(trail).auditTrail.nodes.map((n) => n.action).sort()).toEqual(["ACCOUNT_CONNECTED", "ACCOUNT_RENAMED", "ACCOUNT_SHARED"]);

    // A workflow whose HTTP step uses the canary account, tested once (the app echoes what it got).
    fakeApp.handler = (req) => ({ status: 200, body: { echo: req.headers.authorization ?? null } });
    const flow = dataOf(await service.call(team.owner.userId, CreateWorkflowDocument, { workspaceId: team.workspace.id, name: "Canary flow" })).createWorkflow;
    const step = dataOf(await service.call(team.owner.userId, AddStepDocument, {
      input: { workflowId: flow.id, kind: "HTTP_REQUEST", appSlug: "sendgrid", accountId: account.id, http: { method: "GET", path: "/v3/scopes" } },
    })).addStep;
    const tested = await service.call(team.member.userId, TestStepDocument, { stepId: step.id });
    expectNoCanaryInResult(tested, "testStep");
    expect(dataOf(tested).testStep.status).toBe("SUCCESS");

    // The schema, by introspection as the authenticated user.
    const introspection = await service.call(team.owner.userId, getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }));
    expectNoCanaryInResult(introspection, "introspection");
    const schema = buildClientSchema(dataOf(introspection) as unknown as IntrospectionQuery);
    const query = schema.getQueryType()!;

    const representations = [
      { __typename: "Account", id: account.id },
      { __typename: "Workspace", id: team.workspace.id },
      { __typename: "Member", id: team.owner.id },
      { __typename: "Member", id: team.member.id },
      { __typename: "App", slug: "sendgrid" },
    ];
    const rootArgs: Record<string, string> = {
      account: `(id: ${JSON.stringify(account.id)})`,
      accounts: `(workspaceId: ${JSON.stringify(team.workspace.id)})`,
      workspace: `(id: ${JSON.stringify(team.workspace.id)})`,
      auditTrail: `(workspaceId: ${JSON.stringify(team.workspace.id)})`,
      app: `(slug: "sendgrid")`,
      member: `(id: ${JSON.stringify(team.member.id)})`,
      apps: `(search: "sendgrid")`,
      workflows: `(workspaceId: ${JSON.stringify(team.workspace.id)})`,
      workflow: `(id: ${JSON.stringify(flow.id)})`,
      oauthClients: `(workspaceId: ${JSON.stringify(team.workspace.id)})`,
      accessChangeImpact: `(input: { accountId: ${JSON.stringify(account.id)}, revokeWorkspace: true })`,
      _entities: "(representations: $representations)",
    };
    const coverage: Coverage = new Set();
    const operations: Array<{ root: string; text: string }> = [];
    for (const field of Object.values(query.getFields())) {
      const required = field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      if (required && !(field.name in rootArgs)) continue; // nothing to fill in: skipped, like nested fields with required arguments
      const named = getNamedType(field.type);
      const selection = isLeafType(named) ? "" : selectionOf(schema, named, SWEEP_DEPTH, coverage);
      expect(selection).not.toBeNull();
      coverage.add(`${query.name}.${field.name}`);
      const variables = field.name === "_entities" ? "($representations: [_Any!]!)" : "";
      operations.push({ root: field.name, text: `query Sweep_${field.name}${variables} { ${field.name}${rootArgs[field.name] ?? ""} ${selection} }` });
    }
    expect(operations.map((o) => o.root)).toEqual(expect.arrayContaining(Object.keys(rootArgs).concat("viewer", "_service")));

    const texts: Record<string, string> = {};
    for (const { root, text } of operations) {
      const asOwner = await service.call(team.owner.userId, text, { representations });
      expectNoCanaryInResult(asOwner, `${root} as the owner`);
      dataOf(asOwner); // every field resolves for the owner
      texts[root] = asOwner.text;
      const asMember = await service.call(team.member.userId, text, { representations });
      expectNoCanaryInResult(asMember, `${root} as a member`);
      // A member may not read the audit trail, OAuth clients or access impacts; everything else answers.
      expect(codesOf(asMember).filter((c) => c !== "FORBIDDEN")).toEqual([]);
      if (!["auditTrail", "oauthClients", "accessChangeImpact"].includes(root)) expect(asMember.data).toBeTruthy();
    }
    // The sweep really returned the account, its app's fields, the SDL and the entities.
    expect(texts.account).toContain("Canary renamed");
    expect(texts.accounts).toContain(account.id);
    expect(texts.app).toContain('"api_key"');
    expect(texts._service).toContain("type Account");
    expect(JSON.parse(texts._entities!).data._entities.map((e: { __typename: string }) => e.__typename)).toEqual(["Account", "Workspace", "Member", "Member", "App"]);
    expect(texts.auditTrail).toContain("ACCOUNT_RENAMED");

    // Mutations whose payload types no query returns, with every field selected too.
    const mutation = schema.getMutationType()!;
    const payload = (name: string) => getNamedType(mutation.getFields()[name]!.type);
    const reconnect = await service.call(
      team.owner.userId,
      `mutation ($id: ID!, $key: String!) { reconnectKeyAccount(input: { accountId: $id, credentials: [{ name: "api_key", value: $key }], verify: false }) ${selectionOf(schema, payload("reconnectKeyAccount"), SWEEP_DEPTH, coverage)} }`,
      { id: account.id, key: CANARY },
    );
    expectNoCanaryInResult(reconnect, "reconnectKeyAccount");
    expect(JSON.parse(reconnect.text).data.reconnectKeyAccount).toMatchObject({ claimed: false, account: { id: account.id } });
    const throwaway = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: CANARY } });
    const deleted = await service.call(
      team.owner.userId,
      `mutation ($id: ID!) { deleteAccount(input: { accountId: $id }) ${selectionOf(schema, payload("deleteAccount"), SWEEP_DEPTH, coverage)} }`,
      { id: throwaway.id },
    );
    expectNoCanaryInResult(deleted, "deleteAccount");
    expect(JSON.parse(deleted.text).data.deleteAccount.accountId).toBe(throwaway.id);
    const leaver = await buildMember(service, team.workspace.id);
    const removed = await service.call(
      team.owner.userId,
      `mutation ($id: ID!) { removeMember(input: { memberId: $id }) ${selectionOf(schema, payload("removeMember"), SWEEP_DEPTH, coverage)} }`,
      { id: leaver.id },
    );
    expectNoCanaryInResult(removed, "removeMember");
    expect(JSON.parse(removed.text).data.removeMember.memberId).toBe(leaver.id);

    // Every field of every object type reachable from what was swept was requested somewhere.
    const swept = [...operations.map((o) => getNamedType(query.getFields()[o.root]!.type)), ...["reconnectKeyAccount", "deleteAccount", "removeMember"].map(payload)];
    const types = reachableTypes(schema, swept);
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(["Account", "AccountGrant", "AccountHealth", "AuditEvent", "App", "AppField", "Member", "Workspace", "Viewer", "_Service"]));
    const missed = types.flatMap((t) => selectableFields(t).map((f) => `${t.name}.${f.name}`)).filter((key) => !coverage.has(key));
    expect(missed).toEqual([]);
  });
});

describe("the logs never hold a credential", () => {
  it("after a connect and after refused, rejected and failing connects (including a check against the app)", async () => {
    const team = await buildTeam(service);
    const marker = `log-probe-${randomBytes(6).toString("hex")}`;
    service.logger.info({ probe: marker }, "secrets test probe");
    expect(service.logs.some((line) => line.includes(marker))).toBe(true); // the capture works

    await connectCanary(team);
    const connect = (credentials: Array<{ name: string; value: string }>, verify: boolean, appSlug = "sendgrid") =>
      service.call(team.member.userId, ConnectKeyAccountDocument, { input: { workspaceId: team.workspace.id, appSlug, credentials, verify } });

    // A value the app's pattern refuses: BAD_USER_INPUT naming the field, never the value.
    const malformed = await connect([{ name: "api_key", value: MALFORMED }], false);
    expect(codesOf(malformed)).toEqual(["BAD_USER_INPUT"]);
    expect(malformed.errors?.[0]?.message).toMatch(/"api_key".*not in the expected format/);
    expectNoCanaryInResult(malformed, "malformed connect");

    // An unknown field whose value is the canary.
    const unknown = await connect([{ name: "password", value: CANARY }], false);
    expect(codesOf(unknown)).toEqual(["BAD_USER_INPUT"]);
    expect(unknown.errors?.[0]?.message).toMatch(/no credential field "password"/);
    expectNoCanaryInResult(unknown, "unknown-field connect");

    // Checked against the app, which rejects the key (401) and echoes it in its body.
    const echo = (status: number) => (request: { headers: { authorization?: string } }) => ({
      status,
      body: { errors: [{ message: `bad key ${request.headers.authorization}`, field: "authorization" }] },
    });
    fakeApp.handler = echo(401);
    const before = fakeApp.requests.length;
    const rejected = await connect([{ name: "api_key", value: CANARY }], true);
    expect(codesOf(rejected)).toEqual(["BAD_USER_INPUT"]);
    expect(rejected.errors?.[0]?.message).toMatch(/rejected these credentials/);
    expectNoCanaryInResult(rejected, "rejected connect");
    expect(fakeApp.requests.slice(before)).toHaveLength(1);
    expect(fakeApp.requests.at(-1)).toMatchObject({ method: "GET", url: "/v3/scopes" });
    expect(fakeApp.requests.at(-1)!.headers.authorization).toBe(`Bearer ${CANARY}`);

    // The app refuses with another status, or fails: its body is never relayed.
    for (const [status, code] of [
      [400, "BAD_USER_INPUT"],
      [503, "PROVIDER_UNAVAILABLE"],
    ] as const) {
      fakeApp.handler = echo(status);
      const failed = await connect([{ name: "api_key", value: CANARY }], true);
      expect(codesOf(failed)).toEqual([code]);
      expectNoCanaryInResult(failed, `connect answered ${status}`);
    }
    expect(fakeApp.requests.slice(before).map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${CANARY}`));

    // A value the sealer refuses (it looks sealed) for an app without a pattern: an unexpected
    // failure, which is logged with its error; the value is not.
    const failures = service.logs.length;
    const unsealable = await connect([{ name: "access_token", value: UNSEALABLE }], false, "linode");
    expect(unsealable.errors).toHaveLength(1);
    expectNoCanaryInResult(unsealable, "unsealable connect");
    if (codesOf(unsealable)[0] === "INTERNAL") expect(service.logs.slice(failures).join("\n")).toMatch(/operation failed/);

    // Nothing was stored by any refused attempt: only the first connect.
    expect(await service.dataSource.getRepository(AccountEntity).countBy({ workspaceId: team.workspace.id })).toBe(1);
    expect(service.logs.length).toBeGreaterThan(1);
    for (const [i, line] of service.logs.entries()) expectNoCanary(line, `log line ${i}`);
  });
});

// ---------------------------------------------------------------------------------------------
// The database.

async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: Array<{ name: string }> =
    TEST_DB === "mariadb"
      ? await dataSource.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'")
      : await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'");
  return rows.map((r) => r.name);
}

/** Every value of every row of a table, as text. */
async function cellsOf(dataSource: DataSource, table: string): Promise<{ rows: number; cells: string[] }> {
  const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM ${dataSource.driver.escape(table)}`);
  const cells = rows.flatMap((row) =>
    Object.entries(row).flatMap(([column, value]) => {
      const text = Buffer.isBuffer(value) ? value.toString("utf8") : value instanceof Date ? value.toISOString() : String(value);
      return [column, text];
    }),
  );
  return { rows: rows.length, cells };
}

describe("the database never holds a credential in clear", () => {
  it("keeps no form of the canary in any value of any row of any table; the secret row is an envelope that opens to it", async () => {
    const team = await buildTeam(service);
    const account = await connectCanary(team, team.admin.userId);
    dataOf(await service.call(team.admin.userId, ShareAccountDocument, { input: { accountId: account.id, memberIds: [team.member.id] } }));
    dataOf(await service.call(team.admin.userId, RenameAccountDocument, { input: { accountId: account.id, nickname: "Canary in the db" } }));
    const imported = await service.call(team.owner.userId, ImportLegacyAccountsDocument, {
      input: { workspaceId: team.workspace.id, accounts: [{ appSlug: "sendgrid", nickname: "Legacy canary", credentials: [{ name: "api_key", value: CANARY }] }] },
    });
    expectNoCanaryInResult(imported, "importLegacyAccounts");
    const legacy = dataOf(imported).importLegacyAccounts[0]!;

    const tables = await tableNames(service.dataSource);
    expect(tables).toEqual(expect.arrayContaining(ENTITY_TABLES));
    let scanned = 0;
    for (const table of tables) {
      const { rows, cells } = await cellsOf(service.dataSource, table);
      if (ENTITY_TABLES.includes(table)) expect(rows).toBeGreaterThan(0);
      scanned += rows;
      for (const cell of cells) expectNoCanary(cell, `a value of ${table}`);
    }
    expect(scanned).toBeGreaterThan(6);

    for (const { id } of [account, legacy]) {
      const secrets = await service.dataSource.getRepository(AccountSecretEntity).findBy({ accountId: id });
      expect(secrets.map((s) => s.field)).toEqual(["api_key"]);
      expect(secrets[0]!.envelope).toMatch(/^cas1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
      expect(secrets[0]!.envelope.split(".")[1]).toBe(secrets[0]!.kid);
      expect(await service.services.vault.open(service.dataSource, { id, workspaceId: team.workspace.id })).toEqual({ api_key: CANARY });
      const row = await service.dataSource.getRepository(AccountEntity).findOneByOrFail({ id });
      expect(row.fingerprint).toMatch(/^fp1\.[A-Za-z0-9_-]+\.[0-9a-f]{64}$/);
    }

    // SQLite: not in the database files either (pages, journal, WAL).
    if (sqlitePath) {
      const files = [sqlitePath, `${sqlitePath}-wal`, `${sqlitePath}-journal`].filter((f) => fs.existsSync(f));
      expect(files).toContain(sqlitePath);
      for (const file of files) expectNoCanary(fs.readFileSync(file).toString("latin1"), file);
    }
  });

  it("a sealed value copied to another account, or to another field, does not open", async () => {
    const team = await buildTeam(service);
    const other = await buildTeam(service);
    const keys = { a: sendgridKey(), b: sendgridKey(), c: sendgridKey() };
    const connect = async (t: Team, key: string) =>
      dataOf(
        await service.call(t.owner.userId, ConnectKeyAccountDocument, {
          input: { workspaceId: t.workspace.id, appSlug: "sendgrid", credentials: [{ name: "api_key", value: key }], verify: false },
        }),
      ).connectKeyAccount;
    const a = { id: (await connect(team, keys.a)).id, workspaceId: team.workspace.id };
    const b = { id: (await connect(team, keys.b)).id, workspaceId: team.workspace.id };
    const c = { id: (await connect(other, keys.c)).id, workspaceId: other.workspace.id };
    const secrets = service.dataSource.getRepository(AccountSecretEntity);
    const envelopeOf = async (accountId: string) => (await secrets.findOneByOrFail({ accountId, field: "api_key" })).envelope;
    const { vault } = service.services;
    const open = (account: { id: string; workspaceId: string }) => vault.open(service.dataSource, account);
    expect(await open(a)).toEqual({ api_key: keys.a });
    expect(await open(b)).toEqual({ api_key: keys.b });
    const [envelopeA, envelopeB] = [await envelopeOf(a.id), await envelopeOf(b.id)];

    // A's envelope in B's row (same workspace, same field, same key): refused.
    await secrets.update({ accountId: b.id, field: "api_key" }, { envelope: envelopeA });
    expect(await envelopeOf(b.id)).toBe(envelopeA);
    await expect(open(b)).rejects.toThrow(SealError);
    // ...and in an account of another workspace.
    await secrets.update({ accountId: c.id, field: "api_key" }, { envelope: envelopeA });
    await expect(open(c)).rejects.toThrow(SealError);
    // Put back, each opens again: the refusals were the copies' doing.
    await secrets.update({ accountId: b.id, field: "api_key" }, { envelope: envelopeB });
    expect(await open(b)).toEqual({ api_key: keys.b });

    // A's envelope under another field name of A (moved, then copied next to the original).
    await secrets.update({ accountId: a.id, field: "api_key" }, { field: "api_secret" });
    await expect(open(a)).rejects.toThrow(SealError);
    await secrets.update({ accountId: a.id, field: "api_secret" }, { field: "api_key" });
    expect(await open(a)).toEqual({ api_key: keys.a });
    await secrets.insert({ accountId: a.id, field: "api_key_copy", workspaceId: a.workspaceId, envelope: envelopeA, kid: envelopeA.split(".")[1]!, updatedAt: new Date() });
    await expect(open(a)).rejects.toThrow(SealError);
    await secrets.delete({ accountId: a.id, field: "api_key_copy" });
    expect(await open(a)).toEqual({ api_key: keys.a });
  });
});

// ---------------------------------------------------------------------------------------------
// Key rotation across restarts.

describe("re-sealing under a new key", () => {
  const key = () => randomBytes(32).toString("base64");
  const OLD = key();
  const NEW = key();
  // Re-sealing moves every secret of the whole database that is not under the current key, and
  // stops at one it cannot open: so it runs on a database of its own, not on the MariaDB database
  // other test files share (and seal under keys this test does not hold).
  const scratch = `ca_test_reseal_${randomBytes(4).toString("hex")}`;
  const databaseEnv = (): Record<string, string> =>
    TEST_DB === "mariadb" ? { DATABASE_URL: `${MARIADB_SERVER_URL}/${scratch}` } : { SQLITE_PATH: resealPath! };
  const resealPath = TEST_DB === "sqlite" ? freshSqlitePath() : undefined;
  const started: TestService[] = [];
  const start = async (keys: string) => {
    const s = await startTestService({ ...databaseEnv(), ENCRYPTION_KEYS: keys });
    started.push(s);
    return s;
  };

  beforeAll(async () => {
    if (TEST_DB === "mariadb") await recreateMariaDatabase(scratch);
  });
  afterAll(async () => {
    for (const s of started) await s.close();
    if (TEST_DB === "mariadb") {
      const connection = await mysql.createConnection({ uri: MARIADB_SERVER_URL, connectTimeout: 5000 });
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
      } finally {
        await connection.end();
      }
    }
  });

  it("keeps every account working: old keys open until re-sealed, everything moves to the new kid, and the new key alone opens it all", async () => {
    // 1. Accounts sealed under `old`.
    const first = await start(`old:${OLD}`);
    const team = await buildTeam(first);
    const values = new Map<string, string>();
    for (const nickname of ["One", "Two", "Three"]) {
      const value = sendgridKey();
      const result = await first.call(team.owner.userId, ConnectKeyAccountDocument, {
        input: { workspaceId: team.workspace.id, appSlug: "sendgrid", nickname, credentials: [{ name: "api_key", value }], verify: false },
      });
      values.set(dataOf(result).connectKeyAccount.id, value);
    }
    const legacyValue = sendgridKey();
    const imported = await first.call(team.owner.userId, ImportLegacyAccountsDocument, {
      input: { workspaceId: team.workspace.id, accounts: [{ appSlug: "sendgrid", nickname: "Legacy", credentials: [{ name: "api_key", value: legacyValue }] }] },
    });
    const legacyId = dataOf(imported).importLegacyAccounts[0]!.id;
    values.set(legacyId, legacyValue);
    const ids = [...values.keys()];
    const rowsOf = (s: TestService) => s.dataSource.getRepository(AccountSecretEntity).find({ where: ids.map((accountId) => ({ accountId })) });
    const before = await rowsOf(first);
    expect(before).toHaveLength(4);
    expect(before.every((r) => r.kid === "old" && r.envelope.startsWith("cas1.old."))).toBe(true);
    await first.close();

    // 2. Restarted with `new` first and `old` kept: old envelopes still open; new ones use `new`.
    const second = await start(`new:${NEW},old:${OLD}`);
    for (const [id, value] of values) {
      expect(await second.services.vault.open(second.dataSource, { id, workspaceId: team.workspace.id })).toEqual({ api_key: value });
    }
    const lateValue = sendgridKey();
    const late = dataOf(
      await second.call(team.owner.userId, ConnectKeyAccountDocument, {
        input: { workspaceId: team.workspace.id, appSlug: "sendgrid", nickname: "Late", credentials: [{ name: "api_key", value: lateValue }], verify: false },
      }),
    ).connectKeyAccount;
    expect((await second.dataSource.getRepository(AccountSecretEntity).findOneByOrFail({ accountId: late.id })).kid).toBe("new");

    const report = await second.services.vault.resealAll(second.dataSource);
    // This database holds these four under `old`, nothing else; their fingerprints move too.
    expect(report).toEqual({ resealed: 4, refingerprinted: 4, failed: [] });
    const after = await rowsOf(second);
    expect(after).toHaveLength(4);
    for (const row of after) {
      expect(row.kid).toBe("new");
      expect(row.envelope.startsWith("cas1.new.")).toBe(true);
      expect(row.envelope).not.toBe(before.find((b) => b.accountId === row.accountId)!.envelope);
    }
    for (const [id, value] of values) {
      expect(await second.services.vault.open(second.dataSource, { id, workspaceId: team.workspace.id })).toEqual({ api_key: value });
    }
    // Nothing is left under `old`: a second run moves nothing.
    expect(await second.services.vault.resealAll(second.dataSource)).toEqual({ resealed: 0, refingerprinted: 0, failed: [] });
    await second.close();

    // 3. Only `new`: everything opens, and the accounts work through the API.
    values.set(late.id, lateValue);
    const third = await start(`new:${NEW}`);
    for (const [id, value] of values) {
      expect(await third.services.vault.open(third.dataSource, { id, workspaceId: team.workspace.id })).toEqual({ api_key: value });
    }
    const listed = dataOf(await third.call(team.owner.userId, AccountsDocument, { workspaceId: team.workspace.id })).accounts.nodes;
    expect(listed.map((n) => n.id).sort()).toEqual([...values.keys()].sort());
    const [ownedId] = ids;
    const reconnected = await third.call(team.owner.userId, ReconnectKeyAccountDocument, {
      input: { accountId: ownedId!, credentials: [{ name: "api_key", value: values.get(ownedId!)! }], verify: false },
    });
    expect(dataOf(reconnected).reconnectKeyAccount).toMatchObject({ claimed: false, account: { id: ownedId } });
    // The legacy account is still claimable with its key once the old key is gone (fingerprints moved).
    const claim = await third.call(team.member.userId, ReconnectKeyAccountDocument, {
      input: { accountId: legacyId, credentials: [{ name: "api_key", value: values.get(legacyId)! }], verify: false },
    });
    expect(dataOf(claim).reconnectKeyAccount).toMatchObject({ claimed: true, account: { id: legacyId } });
    await third.close();

    // 4. Only `old` (the rotation really moved them): nothing opens.
    const oldOnly = await start(`old:${OLD}`);
    for (const id of ids) {
      await expect(oldOnly.services.vault.open(oldOnly.dataSource, { id, workspaceId: team.workspace.id })).rejects.toMatchObject({ code: "CREDENTIALS_UNREADABLE", kid: "new", reason: "its key is not in the key ring" });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Metrics and traces (last: after everything above has run through the service).

describe("metrics, traces and webhook payloads never hold a credential", () => {
  it("scrapes /metrics and reads every span the run sent, and finds no form of the canary", async () => {
    const response = await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("ca_credential_reads_total"); // the scrape works
    expectNoCanary(text, "/metrics");
    await flushTracing();
    expect(otlp.spans.length).toBeGreaterThan(10); // the receiver got the run
    for (const [i, body] of otlp.bodies.entries()) expectNoCanary(body, `OTLP body ${i}`);
  });

  it("builds no webhook payload with any form of the canary, from every event the run raised", async () => {
    const events = await service.dataSource.getRepository(AccountEventEntity).find();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expectNoCanary(webhookPayload(event), `webhook payload of event ${event.seq}`);
  });
});
