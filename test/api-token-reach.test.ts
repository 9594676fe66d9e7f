/**
 * A personal API token acts in its own workspace only (docs/api/credentials.md, "Personal API tokens"). This walks
 * every root query, mutation and subscription of the schema, read by introspection so that a field
 * added tomorrow is walked too, and calls each one with API tokens of every scope that belong to
 * another workspace of the same user, pointed at the objects of that other workspace. Each call
 * must end as the field's declared reach (`@Access(..., { reach })`) and the token's scope say,
 * change nothing, and show nothing of the other workspace; the same call with the user's own
 * session must then find the objects (so a NOT_FOUND above is the token's doing, not bad
 * arguments).
 */
import { createHash, randomUUID } from "node:crypto";
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { declaredReaches } from "../src/graphql/schema";
import { buildSubgraph } from "../src/graphql/schema";
import type { AccessReach } from "../src/graphql/access";
import { sendgridKey, uniqueUser } from "./support/factories";
import { dataOf, gql, type GraphQLResult } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { Subscriber } from "./support/ws-client";

type Scope = "FULL" | "READ_ONLY" | "CREDENTIALS_READ";
const SCOPES: Scope[] = ["FULL", "READ_ONLY", "CREDENTIALS_READ"];
const CREDENTIAL_FIELDS = new Set(["readAccountCredentials"]);

let service: TestService;
let schema: GraphQLSchema;
let reaches: Map<string, AccessReach>;

beforeAll(async () => {
  // A generous cost limit: the walk selects every scalar of each answer, to look for leaks.
  service = await startTestService({ GRAPHQL_MAX_COST: "1000000", GRAPHQL_MAX_ALIASES: "1000" });
  const introspection = await gql<IntrospectionQuery>(service.url, getIntrospectionQuery(), undefined, { token: await service.token("introspector") });
  schema = buildClientSchema(dataOf(introspection));
  await buildSubgraph();
  reaches = declaredReaches();
});
afterAll(async () => {
  await service?.close();
});

/** The other workspace and everything in it that root fields can name. */
interface World {
  user: string;
  home: string;
  other: { id: string; name: string };
  member: { id: string; userId: string; email: string };
  accountId: string;
  accountNickname: string;
  workflowId: string;
  stepId: string;
  oauthClientId: string;
  appRequestId: string;
  apiTokenId: string;
  envVar: string;
  endpointId: string;
  tokens: Record<Scope, string>;
}

async function as<T = Record<string, unknown>>(user: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  return dataOf(await service.call<T>(user, query, variables));
}

async function buildWorld(): Promise<World> {
  const user = uniqueUser("reach");
  const token = await service.token(user);
  const create = async (name: string) =>
    (await as<{ createWorkspace: { id: string } }>(user, `mutation ($name: String!) { createWorkspace(input: { name: $name }) { id } }`, { name })).createWorkspace.id;
  const home = await create(`Home ${randomUUID().slice(0, 6)}`);
  const otherName = `Other ${randomUUID()}`;
  const other = await create(otherName);
  const memberUser = uniqueUser("reach-member");
  const email = `${memberUser}@canary.example`;
  const member = (await as<{ addMember: { id: string } }>(user, `mutation ($ws: ID!, $u: String!, $e: String) { addMember(input: { workspaceId: $ws, userId: $u, role: MEMBER, email: $e }) { id } }`, { ws: other, u: memberUser, e: email })).addMember;
  const accountNickname = `Canary account ${randomUUID().slice(0, 8)}`;
  const account = (
    await as<{ connectKeyAccount: { id: string } }>(
      user,
      `mutation ($ws: ID!, $n: String!, $k: String!) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", nickname: $n, verify: false, credentials: [{ name: "api_key", value: $k }] }) { id } }`,
      { ws: other, n: accountNickname, k: sendgridKey() },
    )
  ).connectKeyAccount;
  await as(user, `mutation ($a: ID!, $m: [ID!]) { shareAccount(input: { accountId: $a, memberIds: $m }) { id } }`, { a: account.id, m: [member.id] });
  const workflow = (await as<{ createWorkflow: { id: string } }>(user, `mutation ($ws: ID!) { createWorkflow(workspaceId: $ws, name: "Canary flow", builderVersion: V2) { id } }`, { ws: other })).createWorkflow;
  const step = (
    await as<{ addStep: { id: string } }>(user, `mutation ($w: ID!, $a: ID) { addStep(input: { workflowId: $w, kind: ACTION, appSlug: "sendgrid", accountId: $a, name: "Canary step" }) { id } }`, {
      w: workflow.id,
      a: account.id,
    })
  ).addStep;
  await as(user, `mutation ($w: ID!) { addStep(input: { workflowId: $w, kind: CODE, name: "Second step" }) { id } }`, { w: workflow.id });
  const oauthClient = (
    await as<{ registerOAuthClient: { id: string } }>(user, `mutation ($ws: ID!) { registerOAuthClient(input: { workspaceId: $ws, appSlug: "github", clientId: "canary-client", clientSecret: "canary-secret-value" }) { id } }`, { ws: other })
  ).registerOAuthClient;
  const appRequest = (await as<{ requestApp: { id: string } }>(user, `mutation ($ws: ID!) { requestApp(input: { workspaceId: $ws, name: "Canary Unlisted App" }) { id } }`, { ws: other })).requestApp;
  const envVar = "CANARY_VAR";
  await as(user, `mutation ($ws: ID!) { setEnvironmentVariable(input: { workspaceId: $ws, name: "CANARY_VAR", value: "canary-env-value" }) { id } }`, { ws: other });
  const endpoint = (
    await as<{ createWebhookEndpoint: { endpoint: { id: string } } }>(user, `mutation ($ws: ID!) { createWebhookEndpoint(input: { workspaceId: $ws, url: "https://hooks.example.com/canary", description: "Canary hook" }) { endpoint { id } } }`, { ws: other })
  ).createWebhookEndpoint.endpoint;
  const otherToken = (await as<{ createApiToken: { apiToken: { id: string } } }>(user, `mutation ($ws: ID!) { createApiToken(input: { workspaceId: $ws, name: "other", scope: FULL }) { apiToken { id } } }`, { ws: other }))
    .createApiToken.apiToken;
  const tokens = {} as Record<Scope, string>;
  for (const scope of SCOPES) {
    tokens[scope] = (
      await gql<{ createApiToken: { token: string } }>(service.url, `mutation ($ws: ID!, $s: ApiTokenScope) { createApiToken(input: { workspaceId: $ws, name: "home", scope: $s }) { token } }`, { ws: home, s: scope }, { token })
    ).data!.createApiToken.token;
  }
  return {
    user,
    home,
    other: { id: other, name: otherName },
    member: { id: member.id, userId: memberUser, email },
    accountId: account.id,
    accountNickname,
    workflowId: workflow.id,
    stepId: step.id,
    oauthClientId: oauthClient.id,
    appRequestId: appRequest.id,
    apiTokenId: otherToken.id,
    envVar,
    endpointId: endpoint.id,
    tokens,
  };
}

// ---- arguments: every root field gets values naming the other workspace's objects ----

/** Which of the world's objects an `id` argument names, from the field's result type or name. */
function idFor(world: World, field: GraphQLField<unknown, unknown>): string {
  const named = getNamedType(field.type).name;
  const kinds: Array<[RegExp, string]> = [
    [/^Workspace$|^workspace$/i, world.other.id],
    [/Workflow/, world.workflowId],
    [/Member/, world.member.id],
    [/AppRequest/, world.appRequestId],
    [/ApiToken/, world.apiTokenId],
    [/OAuthClient/, world.oauthClientId],
    [/Webhook/, world.endpointId],
    [/Step/, world.stepId],
    [/Account/, world.accountId],
  ];
  for (const [pattern, id] of kinds) if (pattern.test(named) || pattern.test(field.name)) return id;
  throw new Error(`The walk does not know which object "id" of ${field.name} names: teach idFor().`);
}

function valueFor(world: World, field: GraphQLField<unknown, unknown>, name: string, type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return valueFor(world, field, name, type.ofType);
  if (isListType(type)) {
    const byName: Record<string, unknown[]> = {
      memberIds: [world.member.id],
      revokeMemberIds: [world.member.id],
      accountIds: [world.accountId],
      scopes: [],
      kinds: [],
      credentials: [{ name: "api_key", value: sendgridKey() }],
      representations: [],
    };
    if (name in byName) return byName[name];
    return [valueFor(world, field, name, type.ofType)];
  }
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(type.getFields())) {
      const known = knownOptional(inner.name, type.name);
      if (isNonNullType(inner.type) || known !== undefined) value[inner.name] = known ?? valueFor(world, field, inner.name, inner.type);
    }
    return value;
  }
  if (isEnumType(type)) {
    const preferred: Record<string, string> = { WorkspaceRole: "MEMBER", StepKind: "ACTION", BuilderVersion: "V2", ApiTokenScope: "READ_ONLY" };
    return preferred[type.name] ?? type.getValues()[0]!.value;
  }
  if (isScalarType(type)) {
    if (type.name === "ID") {
      const ids: Record<string, string> = {
        workspaceId: world.other.id,
        accountId: world.accountId,
        stepId: world.stepId,
        workflowId: world.workflowId,
        memberId: world.member.id,
        oauthClientId: world.oauthClientId,
        endpointId: world.endpointId,
      };
      if (name in ids) return ids[name];
      if (name === "id") return idFor(world, field);
      throw new Error(`The walk does not know which object ID argument "${name}" of ${field.name} names: teach valueFor().`);
    }
    if (type.name === "Int") return name === "position" ? 0 : 1;
    if (type.name === "Boolean") return false;
    if (type.name === "JSONObject") return {};
    if (type.name === "DateTimeISO") return new Date().toISOString();
    if (type.name === "String") {
      const strings: Record<string, string> = {
        appSlug: "sendgrid",
        slug: "sendgrid",
        name: name === "name" && /EnvironmentVariable/.test(field.name) ? world.envVar : "Reach walk",
        nickname: "Reach walk",
        userId: uniqueUser("reach-new"),
        method: "GET",
        path: "/v3/user/profile",
        clientId: "reach-client",
        clientSecret: "reach-secret",
        value: "reach-value",
        url: "https://unlisted.example",
      };
      return strings[name] ?? "reach";
    }
  }
  throw new Error(`The walk cannot build argument "${name}" of ${field.name} (${String(type)}): teach valueFor().`);
}

// Optional input fields the walk sets because the call means nothing without them.
function knownOptional(name: string, typeName: string): unknown {
  if (typeName === "AccountAccessInput" && name === "memberIds") return undefined; // set below per field
  if (typeName === "ConnectKeyAccountInput" && name === "verify") return false;
  if (typeName === "ReconnectKeyAccountInput" && name === "verify") return false;
  return undefined;
}

function argumentsFor(world: World, field: GraphQLField<unknown, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args as readonly GraphQLArgument[]) {
    if (!isNonNullType(arg.type) && arg.name !== "workspaceId") continue;
    values[arg.name] = valueFor(world, field, arg.name, arg.type);
  }
  // Fields whose input needs more than its required parts to name anything.
  const input = values.input as Record<string, unknown> | undefined;
  if (field.name === "shareAccount" || field.name === "revokeAccountAccess") input!.memberIds = [world.member.id];
  if (field.name === "accessChangeImpact") input!.revokeMemberIds = [world.member.id];
  if (field.name === "_entities") {
    values.representations = [
      { __typename: "Workspace", id: world.other.id },
      { __typename: "Member", id: world.member.id },
      { __typename: "Account", id: world.accountId },
      { __typename: "Workflow", id: world.workflowId },
      { __typename: "Step", id: world.stepId },
    ];
  }
  return values;
}

// Every scalar of the answer down to a few levels (fields without required arguments), to look for leaks.
function selectionOf(type: ReturnType<typeof getNamedType>, depth: number): string {
  if (!isObjectType(type)) return "";
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isObjectType(named)) {
      if (depth > 0) {
        const inner = selectionOf(named, depth - 1);
        if (inner) parts.push(`${field.name} ${inner}`);
      }
    } else {
      parts.push(field.name);
    }
  }
  return parts.length ? `{ __typename ${parts.join(" ")} }` : "{ __typename }";
}

function operationFor(rootType: "Query" | "Mutation" | "Subscription", field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): { query: string; variables: Record<string, unknown> } {
  const defs = field.args.filter((a) => a.name in args).map((a) => `$${a.name}: ${String(a.type)}`);
  const call = field.args.filter((a) => a.name in args).map((a) => `${a.name}: $${a.name}`);
  const named = getNamedType(field.type);
  const selection = field.name === "_entities" ? "{ __typename ... on Workspace { id name } ... on Member { id userId email } ... on Account { id nickname } }" : selectionOf(named, 2);
  const keyword = rootType === "Query" ? "query" : rootType === "Mutation" ? "mutation" : "subscription";
  return {
    query: `${keyword} Walk${defs.length ? `(${defs.join(", ")})` : ""} { ${field.name}${call.length ? `(${call.join(", ")})` : ""} ${selection} }`,
    variables: args,
  };
}

// ---- expectations ----

type Outcome = "NOT_FOUND" | "FORBIDDEN" | "DATA";

function expectedOutcome(rootType: string, fieldName: string, scope: Scope, reach: AccessReach): Outcome {
  if (scope === "CREDENTIALS_READ" && !CREDENTIAL_FIELDS.has(fieldName)) return "FORBIDDEN";
  if (scope === "READ_ONLY" && rootType === "Mutation" && !CREDENTIAL_FIELDS.has(fieldName)) return "FORBIDDEN";
  if (reach === "signed-in") return "FORBIDDEN";
  if (reach === "catalog" || reach === "caller") return "DATA";
  return "NOT_FOUND";
}

async function call(token: string, rootType: "Query" | "Mutation" | "Subscription", operation: { query: string; variables: Record<string, unknown> }): Promise<{ codes: string[]; text: string; hasData: boolean }> {
  if (rootType !== "Subscription") {
    const result: GraphQLResult<Record<string, unknown>> = await gql(service.url, operation.query, operation.variables, { token });
    const entityCodes = result.errors?.map((e) => e.extensions?.code ?? "NO_CODE") ?? [];
    const data = result.data ? Object.values(result.data)[0] : null;
    const hasData = data !== null && data !== undefined && !(Array.isArray(data) && data.every((d) => d === null));
    return { codes: entityCodes, text: result.text, hasData };
  }
  const subscriber = new Subscriber(service.url, token).subscribe(operation.query, operation.variables);
  try {
    await subscriber.waitFor((s) => s.errors.length > 0 || s.closed !== null, 5000).catch(() => undefined);
    const codes = subscriber.errors.map((e) => (e as { extensions?: { code?: string } }).extensions?.code ?? "NO_CODE");
    return { codes, text: JSON.stringify(subscriber.errors), hasData: subscriber.errors.length === 0 && subscriber.closed === null };
  } finally {
    await subscriber.close();
  }
}

// Everything of the other workspace, row by row: a token's call must leave it as it was.
async function snapshotOf(workspaceId: string): Promise<string> {
  const hash = createHash("sha256");
  for (const meta of service.dataSource.entityMetadatas) {
    const column = meta.columns.find((c) => c.propertyName === "workspaceId") ?? (meta.tableName === "workspaces" ? meta.primaryColumns[0] : undefined);
    if (!column) continue;
    const rows = (await service.dataSource.query(`SELECT * FROM ${meta.tableName} WHERE ${column.databaseName} = ? ORDER BY 1`, [workspaceId])) as unknown[];
    hash.update(meta.tableName).update(JSON.stringify(rows));
  }
  return hash.digest("hex");
}

function rootFields(): Array<["Query" | "Mutation" | "Subscription", GraphQLField<unknown, unknown>]> {
  const list: Array<["Query" | "Mutation" | "Subscription", GraphQLField<unknown, unknown>]> = [];
  for (const [name, type] of [
    ["Query", schema.getQueryType()],
    ["Mutation", schema.getMutationType()],
    ["Subscription", schema.getSubscriptionType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) list.push([name, field]);
  }
  return list;
}

describe("an API token acts in its own workspace only, within its scope, on every root field", () => {
  it("walks a schema with every kind of root field", () => {
    const fields = rootFields();
    expect(fields.filter(([t]) => t === "Query").length).toBeGreaterThan(15);
    expect(fields.filter(([t]) => t === "Mutation").length).toBeGreaterThan(30);
    expect(fields.filter(([t]) => t === "Subscription").length).toBeGreaterThanOrEqual(2);
    // Every root field has a declared reach (federation's two come from the schema builder).
    expect(fields.map(([t, f]) => `${t}.${f.name}`).filter((key) => !reaches.has(key))).toEqual([]);
  });

  // Named by introspection at run time: the list below is only how jest labels the cases.
  it("answers each root field with its declared outcome, changes nothing and leaks nothing of the other workspace", async () => {
    const failures: string[] = [];
    for (const [rootType, field] of rootFields()) {
      const world = await buildWorld();
      const reach = reaches.get(`${rootType}.${field.name}`)!;
      const operation = operationFor(rootType, field, argumentsFor(world, field));
      const before = await snapshotOf(world.other.id);
      for (const scope of SCOPES) {
        const expected = expectedOutcome(rootType, field.name, scope, reach);
        const got = await call(world.tokens[scope], rootType, operation);
        const label = `${rootType}.${field.name} with a ${scope} token of another workspace`;
        if (expected === "DATA") {
          if (got.codes.length > 0 && !(field.name === "app" && got.codes.every((c) => c === "NOT_FOUND"))) failures.push(`${label}: expected data, got ${got.codes.join(", ")}`);
        } else if (got.codes.length === 0 || got.codes.some((c) => c !== expected)) {
          failures.push(`${label}: expected ${expected}, got ${got.codes.join(", ") || "data"}`);
        }
        for (const canary of [world.other.name, world.member.email, world.member.userId, world.accountNickname, "canary-env-value", "Canary flow", "Canary Unlisted App", "Canary hook", "hooks.example.com/canary"]) {
          if (got.text.includes(canary)) failures.push(`${label}: the answer shows "${canary}" of the other workspace`);
        }
      }
      if ((await snapshotOf(world.other.id)) !== before) failures.push(`${rootType}.${field.name}: a token of another workspace changed it`);
      // The same call in the user's own session does reach the other workspace's objects.
      if (reach === "workspace") {
        const own = await call(await service.token(world.user), rootType, operation);
        if (own.codes.includes("NOT_FOUND") || own.codes.includes("UNAUTHENTICATED") || own.codes.includes("NO_CODE")) {
          failures.push(`${rootType}.${field.name}: the user's own session got ${own.codes.join(", ")}, so the walk's arguments name nothing`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});

describe("what a token sees of the person it belongs to", () => {
  it("lists only the token's workspace under viewer.workspaces, without the other workspace's members", async () => {
    const world = await buildWorld();
    const result = await gql<{ viewer: { workspaces: Array<{ id: string; members: Array<{ email: string | null }> }> } }>(
      service.url,
      "{ viewer { userId workspaces { id name members { userId email role } settings { adminsManageAccess } } } }",
      undefined,
      { token: world.tokens.READ_ONLY },
    );
    expect(dataOf(result).viewer.workspaces.map((w) => w.id)).toEqual([world.home]);
    expect(result.text).not.toContain(world.member.email);
    // The user's own session sees both.
    const own = await as<{ viewer: { workspaces: Array<{ id: string }> } }>(world.user, "{ viewer { workspaces { id } } }");
    expect(own.viewer.workspaces.map((w) => w.id).sort()).toEqual([world.home, world.other.id].sort());
  });

  it("refuses createWorkspace and createApiToken to tokens of every scope", async () => {
    const world = await buildWorld();
    for (const scope of SCOPES) {
      const created = await gql(service.url, `mutation { createWorkspace(input: { name: "From a token" }) { id } }`, undefined, { token: world.tokens[scope] });
      expect(created.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    }
    const count = await service.dataSource.query(`SELECT COUNT(*) AS n FROM workspaces WHERE name = ?`, ["From a token"]);
    expect(Number((count as Array<{ n: number }>)[0]!.n)).toBe(0);
  });
});
