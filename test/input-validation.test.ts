/**
 * Bad input is refused, not stored (SPEC §8 "Bad input gets a clear error with a stable code, and
 * changes nothing"). The walks below read the schema by introspection, so an Int or a name-like
 * String added tomorrow is walked too: every number below its minimum (or above its maximum),
 * and every name or free text holding a control, bidi or invisible formatting character, is
 * BAD_USER_INPUT naming the field, before anything is stored.
 */
import { randomUUID } from "node:crypto";
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
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";
import { buildSubgraph } from "../src/graphql/schema";
import { INPUT_RULES, type InputRule } from "../src/graphql/input-rules";
import { ruledInputCoordinates } from "../src/graphql/input-guard";
import { findForbiddenCharacter } from "../src/validation/text";
import { sendgridKey, uniqueUser } from "./support/factories";
import { codesOf, dataOf, gql } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { Subscriber } from "./support/ws-client";

let service: TestService;
let schema: GraphQLSchema;
beforeAll(async () => {
  service = await startTestService({ GRAPHQL_MAX_COST: "1000000" });
  schema = buildClientSchema(dataOf(await gql<IntrospectionQuery>(service.url, getIntrospectionQuery(), undefined, { token: await service.token("introspector") })));
});
afterAll(async () => {
  await service?.close();
});

type Root = "Query" | "Mutation" | "Subscription";

/** Objects of one workspace that arguments can name, so that a call that got through would store something. */
interface World {
  user: string;
  ids: Record<string, string>;
}

async function as<T = Record<string, unknown>>(user: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  return dataOf(await service.call<T>(user, query, variables));
}

async function buildWorld(): Promise<World> {
  const user = uniqueUser("inputs");
  const workspaceId = (await as<{ createWorkspace: { id: string } }>(user, `mutation { createWorkspace(input: { name: "Inputs walk" }) { id } }`)).createWorkspace.id;
  const memberId = (await as<{ addMember: { id: string } }>(user, `mutation ($ws: ID!, $u: String!) { addMember(input: { workspaceId: $ws, userId: $u, role: MEMBER }) { id } }`, { ws: workspaceId, u: uniqueUser("m") })).addMember.id;
  const accountId = (
    await as<{ connectKeyAccount: { id: string } }>(user, `mutation ($ws: ID!, $k: String!) { connectKeyAccount(input: { workspaceId: $ws, appSlug: "sendgrid", verify: false, credentials: [{ name: "api_key", value: $k }] }) { id } }`, {
      ws: workspaceId,
      k: sendgridKey(),
    })
  ).connectKeyAccount.id;
  const workflowId = (await as<{ createWorkflow: { id: string } }>(user, `mutation ($ws: ID!) { createWorkflow(workspaceId: $ws, name: "Walk") { id } }`, { ws: workspaceId })).createWorkflow.id;
  const stepId = (await as<{ addStep: { id: string } }>(user, `mutation ($w: ID!, $a: ID) { addStep(input: { workflowId: $w, kind: ACTION, appSlug: "sendgrid", accountId: $a }) { id } }`, { w: workflowId, a: accountId })).addStep.id;
  await as(user, `mutation ($w: ID!) { addStep(input: { workflowId: $w, kind: CODE }) { id } }`, { w: workflowId });
  const oauthClientId = (await as<{ registerOAuthClient: { id: string } }>(user, `mutation ($ws: ID!) { registerOAuthClient(input: { workspaceId: $ws, appSlug: "github", clientId: "c", clientSecret: "s" }) { id } }`, { ws: workspaceId }))
    .registerOAuthClient.id;
  const appRequestId = (await as<{ requestApp: { id: string } }>(user, `mutation ($ws: ID!) { requestApp(input: { workspaceId: $ws, name: "Walked Unlisted App" }) { id } }`, { ws: workspaceId })).requestApp.id;
  const apiTokenId = (await as<{ createApiToken: { apiToken: { id: string } } }>(user, `mutation ($ws: ID!) { createApiToken(input: { workspaceId: $ws, name: "walk" }) { apiToken { id } } }`, { ws: workspaceId })).createApiToken.apiToken.id;
  const endpointId = (await as<{ createWebhookEndpoint: { endpoint: { id: string } } }>(user, `mutation ($ws: ID!) { createWebhookEndpoint(input: { workspaceId: $ws, url: "https://hooks.example.com/walk" }) { endpoint { id } } }`, { ws: workspaceId })).createWebhookEndpoint.endpoint.id;
  return { user, ids: { workspaceId, memberId, accountId, workflowId, stepId, oauthClientId, appRequestId, apiTokenId, endpointId } };
}

// ---- where each constrained input sits, read from the schema ----

/** One place a scalar input can be given: a root field and the path to it through its arguments. */
interface Site {
  root: Root;
  field: GraphQLField<unknown, unknown>;
  /** Argument name, then input fields and list positions. */
  path: Array<string | number>;
  coordinate: string;
  rule: InputRule;
}

function rootFields(): Array<[Root, GraphQLField<unknown, unknown>]> {
  return (["Query", "Mutation", "Subscription"] as const).flatMap((root) => {
    const type = root === "Query" ? schema.getQueryType() : root === "Mutation" ? schema.getMutationType() : schema.getSubscriptionType();
    return Object.values(type?.getFields() ?? {}).map((field) => [root, field] as [Root, GraphQLField<unknown, unknown>]);
  });
}

function sitesOf(scalar: "Int" | "String"): Site[] {
  const sites: Site[] = [];
  const visit = (root: Root, field: GraphQLField<unknown, unknown>, type: GraphQLInputType, path: Array<string | number>, coordinate: string, seen: Set<string>) => {
    if (isNonNullType(type)) return visit(root, field, type.ofType, path, coordinate, seen);
    if (isListType(type)) return visit(root, field, type.ofType as GraphQLInputType, [...path, 0], coordinate, seen);
    if (isInputObjectType(type)) {
      if (seen.has(type.name)) return;
      for (const inner of Object.values(type.getFields())) visit(root, field, inner.type, [...path, inner.name], `${type.name}.${inner.name}`, new Set([...seen, type.name]));
      return;
    }
    if (isScalarType(type) && type.name === scalar) {
      const rule = INPUT_RULES[coordinate];
      if (!rule) throw new Error(`${coordinate} has no rule in INPUT_RULES`);
      sites.push({ root, field, path, coordinate, rule });
    }
  };
  for (const [root, field] of rootFields()) for (const arg of field.args) visit(root, field, arg.type, [arg.name], `${root}.${field.name}(${arg.name}:)`, new Set());
  return sites;
}

/** The field a refusal names: the path inside `input`, or the argument and the path inside it. */
function fieldName(path: Array<string | number>): string {
  const parts = path[0] === "input" ? path.slice(1) : path;
  return parts.reduce<string>((name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${part}` : part), "");
}

// ---- arguments: valid everywhere but at the site ----

function validValue(world: World, name: string, type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return validValue(world, name, type.ofType);
  if (isListType(type)) return name === "credentials" ? [{ name: "api_key", value: sendgridKey() }] : [];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(type.getFields())) if (isNonNullType(inner.type)) value[inner.name] = validValue(world, inner.name, inner.type);
    return value;
  }
  if (isEnumType(type)) return ({ StepKind: "ACTION", WorkspaceRole: "MEMBER" } as Record<string, string>)[type.name] ?? type.getValues()[0]!.value;
  switch (getNamedType(type).name) {
    case "ID":
      return world.ids[name] ?? world.ids.workspaceId;
    case "Int":
      return name === "position" ? 0 : 1;
    case "Boolean":
      return false;
    case "JSONObject":
      return {};
    case "DateTimeISO":
      return new Date().toISOString();
    case "String":
      return ({ appSlug: "sendgrid", slug: "sendgrid", method: "GET", path: "/v3/user/profile", value: "value-1234", userId: uniqueUser("walk"), url: "https://hooks.example.com/walk" } as Record<string, string>)[name] ?? "Valid name";
    default:
      throw new Error(`The walk cannot build "${name}" of type ${String(type)}: teach validValue().`);
  }
}

/** `type`'s valid value with `bad` put at `path`. */
function valueWith(world: World, name: string, type: GraphQLInputType, path: Array<string | number>, bad: unknown): unknown {
  if (path.length === 0) return bad;
  if (isNonNullType(type)) return valueWith(world, name, type.ofType, path, bad);
  if (isListType(type)) return [valueWith(world, name, type.ofType as GraphQLInputType, path.slice(1), bad)];
  if (isInputObjectType(type)) {
    const value = validValue(world, name, type) as Record<string, unknown>;
    const inner = type.getFields()[path[0] as string]!;
    value[inner.name] = valueWith(world, inner.name, inner.type, path.slice(1), bad);
    return value;
  }
  throw new Error(`${String(type)} has no place ${path.join(".")}`);
}

function operationFor(world: World, site: Site, bad: unknown): { query: string; variables: Record<string, unknown> } {
  const variables: Record<string, unknown> = {};
  for (const arg of site.field.args) {
    if (arg.name === site.path[0]) variables[arg.name] = valueWith(world, arg.name, arg.type, site.path.slice(1), bad);
    else if (isNonNullType(arg.type) || arg.name === "workspaceId") variables[arg.name] = validValue(world, arg.name, arg.type);
  }
  const args = site.field.args.filter((a) => a.name in variables);
  const defs = args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const call = args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const named = getNamedType(site.field.type);
  const selection = isObjectType(named) || isUnionType(named) ? "{ __typename }" : "";
  return { query: `${site.root.toLowerCase()} Walk${defs ? `(${defs})` : ""} { ${site.field.name}${call ? `(${call})` : ""} ${selection} }`, variables };
}

async function send(world: World, site: Site, bad: unknown, waitMs = 5000): Promise<{ codes: unknown[]; fields: unknown[] }> {
  const operation = operationFor(world, site, bad);
  if (site.root !== "Subscription") {
    const result = await service.call(world.user, operation.query, operation.variables);
    return { codes: codesOf(result), fields: (result.errors ?? []).map((e) => e.extensions?.details?.field) };
  }
  const subscriber = new Subscriber(service.url, await service.token(world.user)).subscribe(operation.query, operation.variables);
  try {
    await subscriber.waitFor((s) => s.errors.length > 0 || s.closed !== null, waitMs).catch(() => undefined);
    const errors = subscriber.errors as Array<{ extensions?: { code?: string; details?: { field?: string } } }>;
    return { codes: errors.map((e) => e.extensions?.code), fields: errors.map((e) => e.extensions?.details?.field) };
  } finally {
    await subscriber.close();
  }
}

/** Rows anywhere in the database whose text holds `canary`. */
async function rowsHolding(canary: string): Promise<string[]> {
  const found: string[] = [];
  for (const meta of service.dataSource.entityMetadatas) {
    for (const column of meta.columns) {
      if (!["varchar", "text", String].includes(column.type as never)) continue;
      const rows = (await service.dataSource.query(`SELECT COUNT(*) AS n FROM ${meta.tableName} WHERE ${column.databaseName} LIKE ?`, [`%${canary}%`])) as Array<{ n: number | string }>;
      if (Number(rows[0]!.n) > 0) found.push(`${meta.tableName}.${column.databaseName}`);
    }
  }
  return found;
}

describe("every scalar input has a declared rule", () => {
  it("finds a rule of the right kind in INPUT_RULES for each Int, Float, String and JSON input of the schema, and no rule for anything else", async () => {
    const built = await buildSubgraph();
    const coordinates = ruledInputCoordinates(built);
    expect(coordinates.size).toBeGreaterThan(60);
    const kindOf = (rule: InputRule) => ("int" in rule ? "int" : "json" in rule ? "json" : "text");
    const missing = [...coordinates].filter(([coordinate, kind]) => !INPUT_RULES[coordinate] || kindOf(INPUT_RULES[coordinate]!) !== kind).map(([c, k]) => `${c} (${k})`);
    expect(missing).toEqual([]);
    expect(Object.keys(INPUT_RULES).filter((coordinate) => !coordinates.has(coordinate))).toEqual([]);
  });
});

describe("numbers outside their range", () => {
  it("are BAD_USER_INPUT naming the field, on every root field that takes one, and change nothing", async () => {
    // The walk reaches every Int input of the schema, these among them.
    const coordinates = new Set(sitesOf("Int").map((s) => s.coordinate));
    for (const expected of ["Query.accountEventLog(after:)", "Subscription.accountEvents(after:)", "Subscription.accountAlerts(after:)", "Mutation.moveStep(position:)", "CreateApiTokenInput.expiresInDays", "PageInput.first"]) {
      expect(coordinates).toContain(expected);
    }
    const world = await buildWorld();
    const tokens = `query ($ws: ID!) { apiTokens(workspaceId: $ws) { id } }`;
    const tokensBefore = await as(world.user, tokens, { ws: world.ids.workspaceId });
    const failures: string[] = [];
    for (const site of sitesOf("Int")) {
      if (!("int" in site.rule)) throw new Error(`${site.coordinate} is an Int with a ${Object.keys(site.rule)[0]} rule`);
      const { min, max } = site.rule.int;
      for (const bad of [min - 1, -5, ...(max === undefined ? [] : [max + 1, 2_147_483_647])]) {
        const got = await send(world, site, bad);
        const label = `${site.root}.${site.field.name} ${fieldName(site.path)}=${bad}`;
        if (JSON.stringify(got) !== JSON.stringify({ codes: ["BAD_USER_INPUT"], fields: [fieldName(site.path)] })) failures.push(`${label}: ${JSON.stringify(got)}`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing changed: the steps are where they were, no token was made.
    const steps = await as<{ workflow: { steps: Array<{ id: string; position: number }> } }>(world.user, `query ($id: ID!) { workflow(id: $id) { steps { id position } } }`, { id: world.ids.workflowId });
    expect(steps.workflow.steps.map((s) => s.position)).toEqual([0, 1]);
    expect(steps.workflow.steps[0]!.id).toBe(world.ids.stepId);
    expect(await as(world.user, tokens, { ws: world.ids.workspaceId })).toEqual(tokensBefore);
    // The bounds themselves are accepted (a subscription that started has nothing to say soon).
    for (const site of sitesOf("Int")) {
      const { min } = (site.rule as { int: { min: number } }).int;
      const got = await send(world, site, min, 500);
      if (got.codes.includes("BAD_USER_INPUT") && got.fields.includes(fieldName(site.path))) failures.push(`${site.coordinate}=${min} (its minimum) is refused`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("are refused on fields of objects too (Step.runs(first:) reached through _entities, WebhookEndpoint.deliveries(first:))", async () => {
    const world = await buildWorld();
    const objectSites = Object.values(schema.getTypeMap())
      .filter((t) => isObjectType(t) && !["Query", "Mutation", "Subscription"].includes(t.name) && !t.name.startsWith("__"))
      .flatMap((t) => Object.values((t as import("graphql").GraphQLObjectType).getFields()).flatMap((f) => f.args.filter((a) => getNamedType(a.type).name === "Int").map((a) => [t.name, f.name, a.name] as const)));
    expect(objectSites).toEqual([
      ["Step", "runs", "first"],
      ["WebhookEndpoint", "deliveries", "first"],
    ]);
    for (const bad of [0, -5, 101]) {
      const result = await service.call(world.user, `query ($id: ID!) { webhookEndpoint(id: $id) { deliveries(first: ${bad}) { id } } }`, { id: world.ids.endpointId });
      expect([bad, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([bad, ["BAD_USER_INPUT"], { field: "first" }]);
    }
    for (const bad of [0, -5, 21]) {
      const result = await service.call(world.user, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Step { runs(first: ${bad}) { id } } } }`, { r: [{ __typename: "Step", id: world.ids.stepId }] });
      expect([bad, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([bad, ["BAD_USER_INPUT"], { field: "first" }]);
    }
    const fine = await service.call(world.user, `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Step { runs(first: 20) { id } } } }`, { r: [{ __typename: "Step", id: world.ids.stepId }] });
    expect(codesOf(fine)).toEqual([]);
  });
});

describe("names and free text with control, bidi or invisible characters", () => {
  const BAD_TEXTS = [
    (canary: string) => `${canary}\u202Egpj.exe`,
    (canary: string) => `${canary}\u2066isolate\u2069`,
    (canary: string) => `${canary}\u0000nul`,
    (canary: string) => `\u001b[31m${canary}`,
    (canary: string) => `${canary}\u200Bzero-width`,
    (canary: string) => `${canary}\u0085next-line`,
    (canary: string) => `${canary}\u{E0041}\u{E0042}tags`,
  ];

  it("are BAD_USER_INPUT naming the field, on every root field that takes one, and nothing is stored", async () => {
    // The walk reaches every name-like String input of the schema, these among them.
    const fields = sitesOf("String").filter((s) => "text" in s.rule).map((s) => `${s.root}.${s.field.name} ${fieldName(s.path)}`);
    for (const expected of [
      "Mutation.connectKeyAccount nickname",
      "Mutation.renameAccount nickname",
      "Mutation.importLegacyAccounts accounts[0].nickname",
      "Mutation.startOAuthConnect nickname",
      "Mutation.createWorkflow name",
      "Mutation.renameWorkflow name",
      "Mutation.addStep name",
      "Mutation.updateStep name",
      "Mutation.setEnvironmentVariable description",
      "Mutation.createApiToken name",
      "Mutation.registerOAuthClient name",
      "Mutation.updateOAuthClient name",
      "Mutation.requestApp name",
      "Mutation.requestApp url",
      "Mutation.requestApp reason",
      "Mutation.createWorkspace name",
      "Mutation.renameWorkspace name",
      "Mutation.addMember displayName",
    ]) {
      expect(fields).toContain(expected);
    }
    const world = await buildWorld();
    const canary = `canary${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const failures: string[] = [];
    for (const site of sitesOf("String").filter((s) => "text" in s.rule)) {
      for (const make of BAD_TEXTS) {
        const bad = make(canary);
        const got = await send(world, site, bad);
        if (JSON.stringify(got) !== JSON.stringify({ codes: ["BAD_USER_INPUT"], fields: [fieldName(site.path)] })) {
          failures.push(`${site.root}.${site.field.name} ${fieldName(site.path)}=${JSON.stringify(bad)}: ${JSON.stringify(got)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowsHolding(canary)).toEqual([]);
    // (The scan does find what was stored.)
    expect(await rowsHolding("Walked Unlisted App")).toContain("app_requests.name");
  }, 180_000);

  it("line breaks are refused in names and kept in free text; emoji sequences and every script are kept", async () => {
    const world = await buildWorld();
    const named = await service.call(world.user, `mutation ($ws: ID!) { createWorkflow(workspaceId: $ws, name: "two\\nlines") { id } }`, { ws: world.ids.workspaceId });
    expect([codesOf(named), named.errors?.[0]?.extensions?.details]).toEqual([["BAD_USER_INPUT"], { field: "name" }]);
    const reason = "Line one\nLine two\twith a tab";
    const requested = await as<{ requestApp: { reason: string } }>(world.user, `mutation ($ws: ID!, $r: String) { requestApp(input: { workspaceId: $ws, name: "Another Unlisted App", reason: $r }) { reason } }`, { ws: world.ids.workspaceId, r: reason });
    expect(requested.requestApp.reason).toBe(reason);
    // What names legitimately hold stays: emoji sequences, right-to-left and other scripts.
    for (const name of ["👨‍👩‍👧 Family", "❤️ Favourites", "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Scotland", "עברית وعربي", "नमस्ते", "Café Ünïcode", "می‌خواهم"]) {
      expect(findForbiddenCharacter(name, "name")).toBeNull();
      const created = await as<{ createWorkflow: { name: string } }>(world.user, `mutation ($ws: ID!, $n: String!) { createWorkflow(workspaceId: $ws, name: $n) { name } }`, { ws: world.ids.workspaceId, n: name });
      expect(created.createWorkflow.name).toBe(name);
    }
  });
});

describe("JSON inputs", () => {
  const nested = (depth: number): Record<string, unknown> => {
    let value: Record<string, unknown> = { leaf: true };
    for (let i = 1; i < depth; i++) value = { a: value };
    return value;
  };

  it("props nested too deep (3,000 levels in 18 KB) are BAD_USER_INPUT on addStep and updateStep; 32 levels are fine", async () => {
    const world = await buildWorld();
    const deep = nested(3000);
    expect(JSON.stringify(deep).length).toBeLessThan(20_000);
    for (const props of [deep, nested(33)]) {
      const added = await service.call(world.user, `mutation ($w: ID!, $p: JSONObject) { addStep(input: { workflowId: $w, kind: ACTION, props: $p }) { id } }`, { w: world.ids.workflowId, p: props });
      expect([codesOf(added), added.errors?.[0]?.extensions?.details]).toEqual([["BAD_USER_INPUT"], { field: "props" }]);
      const updated = await service.call(world.user, `mutation ($s: ID!, $p: JSONObject) { updateStep(input: { stepId: $s, props: $p }) { id } }`, { s: world.ids.stepId, p: props });
      expect([codesOf(updated), updated.errors?.[0]?.extensions?.details]).toEqual([["BAD_USER_INPUT"], { field: "props" }]);
    }
    const fine = await as<{ updateStep: { props: unknown } }>(world.user, `mutation ($s: ID!, $p: JSONObject) { updateStep(input: { stepId: $s, props: $p }) { props } }`, { s: world.ids.stepId, p: nested(32) });
    expect(fine.updateStep.props).toEqual(nested(32));
    // The step still tests (no stack overflow in redaction): it has no test request to send, and says so.
    const run = await service.call(world.user, `mutation ($s: ID!) { testStep(stepId: $s) { status error } }`, { s: world.ids.stepId });
    expect(codesOf(run)).toEqual([]);
  });

  it("an HTTP request step's headers and query are flat objects of strings", async () => {
    const world = await buildWorld();
    const add = (http: Record<string, unknown>) =>
      service.call(world.user, `mutation ($w: ID!, $h: HttpRequestInput) { addStep(input: { workflowId: $w, kind: HTTP_REQUEST, appSlug: "sendgrid", accountId: "${world.ids.accountId}", http: $h }) { id } }`, { w: world.ids.workflowId, h: http });
    for (const [http, field] of [
      [{ method: "GET", path: "/x", headers: { "X-Num": 5 } }, "http.headers"],
      [{ method: "GET", path: "/x", headers: { "X-Deep": { a: "b" } } }, "http.headers"],
      [{ method: "GET", path: "/x", query: { n: true } }, "http.query"],
      [{ method: "GET", path: "/x", headers: { "Bad Name": "x" } }, "http.headers"],
      [{ method: "GET", path: "/x", headers: { "X-Ok": "a\r\nInjected: 1" } }, "http.headers"],
      [{ method: "TRACE", path: "/x" }, "http.method"],
    ] as const) {
      const result = await add(http);
      expect([http, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([http, ["BAD_USER_INPUT"], { field }]);
    }
  });

  it("a step's code, props or request larger than its column holds is BAD_USER_INPUT on every database, not an error when stored", async () => {
    const world = await buildWorld();
    const big = "x".repeat(70_000);
    const cases: Array<[string, string, Record<string, unknown>]> = [
      ["code", `mutation ($w: ID!, $v: String) { addStep(input: { workflowId: $w, kind: CODE, code: $v }) { id } }`, { v: big }],
      ["props", `mutation ($w: ID!, $v: JSONObject) { addStep(input: { workflowId: $w, kind: ACTION, props: $v }) { id } }`, { v: { big } }],
      ["http", `mutation ($w: ID!, $v: String) { addStep(input: { workflowId: $w, kind: HTTP_REQUEST, http: { method: "POST", path: "/x", body: $v } }) { id } }`, { v: big }],
    ];
    for (const [field, mutation, variables] of cases) {
      const result = await service.call(world.user, mutation, { w: world.ids.workflowId, ...variables });
      expect([field, codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([field, ["BAD_USER_INPUT"], { field }]);
    }
  });

  it("_entities representations nested too deep are BAD_USER_INPUT", async () => {
    const world = await buildWorld();
    const result = await service.call(world.user, `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`, { r: [{ __typename: "Step", id: world.ids.stepId, extra: nested(50) }] });
    expect([codesOf(result), result.errors?.[0]?.extensions?.details]).toEqual([["BAD_USER_INPUT"], { field: "representations[0]" }]);
  });
});
