/**
 * Every example in README.md and docs/ runs (docs/development.md, "Doc examples"): each `graphql`
 * block against a real service (subscriptions over graphql-ws, which must then receive an event),
 * each `sh` block with `curl` in bash, each `js` block with the real graphql-ws client. A block the
 * test cannot run must be listed in NOT_RUN with the reason, so a new one fails until someone
 * decides. Each block runs in a world of its own (a fresh workspace, members, accounts, ...), built
 * on demand from the `"<name>"` placeholders it names.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { Kind, parse, print, type DefinitionNode, type OperationDefinitionNode } from "graphql";
import { createClient, type Client, type ClientOptions, type ExecutionResult, type Sink, type SubscribePayload } from "graphql-ws";
import WebSocket from "ws";
import { buildAccount, buildTeam, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { dataOf, gql, type GraphQLErrorBody, type GraphQLResult } from "./support/graphql-client";
import { CLIENT_ID, CLIENT_SECRET, TEST_APP, connectTestApp, startOAuthWorld } from "./support/oauth-harness";
import { Subscriber, settle } from "./support/ws-client";

const ROOT = path.resolve(__dirname, "..");

/** Blocks the test does not run, each with the reason; every entry must match exactly one block. */
const NOT_RUN: Array<{ file: string; contains: string; reason: string }> = [
  {
    file: "README.md",
    contains: "npm ci && npm start",
    reason: "installs from scratch and starts a service that runs until stopped; the service it starts is the one startTestService() runs here",
  },
  { file: "README.md", contains: "npm ci && npm test", reason: "the whole suite, of which this test is a part" },
  { file: "docs/api/oauth.md", contains: "${PUBLIC_URL}/oauth/callback", reason: "a URL template to enter at the provider, not a command" },
  {
    file: "docs/operations.md",
    contains: "DATABASE_URL=mysql://root@127.0.0.1:3306/connected_accounts npm start",
    reason: "starts a service that runs until stopped, on a database of its own; the MariaDB run of this test starts the same code on MariaDB",
  },
  { file: "docs/benchmarks.md", contains: "npm run bench", reason: "about 10 minutes; npm test already ends with npm run bench:smoke" },
  { file: "docs/api/calling.md", contains: "HTTP/1.1 204 No Content", reason: "a preflight exchange shown, not a command; test/cors.test.ts sends this preflight and checks each header" },
  { file: "docs/api/routers.md", contains: "federation_version:", reason: "Rover's configuration, not a command; test/gateway.test.ts composes the same committed SDL with @apollo/composition" },
  { file: "docs/api/routers.md", contains: "rover supergraph compose", reason: "Rover and Apollo Router download binaries from outside the package registries; test/gateway.test.ts runs @apollo/gateway on the composed supergraph instead" },
  { file: "docs/api/routers.md", contains: "rover subgraph introspect", reason: "Rover downloads from outside the package registries; test/gateway.test.ts introspects _service with a token through @apollo/gateway, and the curl example above runs" },
  { file: "docs/api/routers.md", contains: "protocol: graphql_ws", reason: "Apollo Router's configuration; the Router cannot be installed here. test/gateway.test.ts forwards the token the same way and opens the socket as the Router's passthrough does" },
  { file: "docs/api/webhooks.md", contains: "webhook-signature: v1,", reason: "an HTTP message shown, not a command; test/webhooks.test.ts receives such messages and verifies each" },
  { file: "docs/api/webhooks.md", contains: '"type":"WORKSPACE_DELETED"', reason: "a message body shown, not a command; test/workspace-lifecycle.test.ts receives this message, verified, when a workspace is deleted" },
  { file: "docs/operations.md", contains: "npm run workspace:delete --", reason: "operator commands against a real deployment; test/workspace-lifecycle.test.ts runs both scripts (export, delete with and without --yes)" },
  { file: "docs/api/webhooks.md", contains: "express.raw", reason: "a receiver to run in your own service (express is not a dependency here); test/webhooks.test.ts verifies every message with the same standardwebhooks call" },
  { file: "docs/api/routers.md", contains: "willSendRequest", reason: "an excerpt of test/support/gateway.ts, which test/gateway.test.ts runs" },
];

/** The OAuth return URL the docs use (allowed in the service's OAUTH_RETURN_URLS). */
const DOCS_RETURN_URL = "https://app.example.com/connected";
/** The egress ranges the service is configured with (the `egressIpRanges` example). */
const EGRESS_IP_RANGES = "203.0.113.0/24,2001:db8:ca::/48";

// ---------------------------------------------------------------------------------------------
// Reading the docs

/** One fenced block of a doc, with the annotations right before it and the text around it. */
interface Block {
  /** `file:line` of the opening fence. */
  id: string;
  file: string;
  line: number;
  lang: string;
  code: string;
  as: Runner;
  expect: string | null;
  /** Text right before (annotations excluded) and after the block: where an expected code must be named. */
  around: string;
  /** Only blank lines lie between this block and the one before it. */
  followsPrevious: boolean;
  /** For a `graphql` block: the `json` block right after it, which holds its variables. */
  variables?: Block;
}

const RUNNERS = ["owner", "admin", "member", "outsider", "readOnlyToken"] as const;
type Runner = (typeof RUNNERS)[number];

function docFiles(): string[] {
  const files = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(".md")) files.push(relative);
    }
  };
  walk("docs");
  return files;
}

function readBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const blocks: Block[] = [];
  let previousEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([\w+-]*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.startsWith(fence) && lines[end]!.trim() === fence)) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const annotations = new Map<string, string>();
    let first = i;
    for (let j = i - 1; j >= 0; j--) {
      const note = /^<!--\s*([a-z]+):\s*(.*?)\s*-->\s*$/.exec(lines[j]!);
      if (!note) break;
      if (annotations.has(note[1]!)) throw new Error(`${file}:${j + 1}: "${note[1]}" given twice`);
      annotations.set(note[1]!, note[2]!);
      first = j;
    }
    for (const key of annotations.keys()) {
      if (key !== "as" && key !== "expect") throw new Error(`${file}:${first + 1}: unknown annotation "${key}" (as, expect)`);
    }
    const as = (annotations.get("as") ?? "owner") as Runner;
    if (!RUNNERS.includes(as)) throw new Error(`${file}:${first + 1}: "as: ${as}" is none of ${RUNNERS.join(", ")}`);
    blocks.push({
      id: `${file}:${i + 1}`,
      file,
      line: i + 1,
      lang: open[2]!.toLowerCase(),
      code: lines.slice(i + 1, end).join("\n"),
      as,
      expect: annotations.get("expect") ?? null,
      around: [...lines.slice(Math.max(0, first - 8), first), ...lines.slice(end + 1, end + 7)].join("\n"),
      followsPrevious: previousEnd >= 0 && lines.slice(previousEnd + 1, first).every((line) => line.trim() === ""),
    });
    previousEnd = end;
    i = end;
  }
  return blocks;
}

type Plan = { run: "graphql" | "curl" | "js" | "variables"; block: Block } | { run: "no"; block: Block; reason: string };

function plan(blocks: Block[]): Plan[] {
  return blocks.map((block, index): Plan => {
    const previous = blocks[index - 1];
    if (block.lang === "json" && block.followsPrevious && previous?.file === block.file && previous.lang === "graphql") {
      if (block.expect || block.as !== "owner") throw new Error(`${block.id}: annotate the graphql block, not its variables`);
      previous.variables = block;
      return { run: "variables", block };
    }
    const listed = NOT_RUN.filter((entry) => entry.file === block.file && block.code.includes(entry.contains));
    if (listed.length > 1) throw new Error(`${block.id} matches several NOT_RUN entries`);
    if (listed.length === 1) return { run: "no", block, reason: listed[0]!.reason };
    if (block.lang === "graphql") return { run: "graphql", block };
    if (["sh", "bash", "shell"].includes(block.lang) && /\bcurl\b/.test(block.code)) return { run: "curl", block };
    if (["js", "javascript"].includes(block.lang) && block.code.includes("createClient")) return { run: "js", block };
    return { run: "no", block, reason: "" };
  });
}

const BLOCKS = docFiles().flatMap(readBlocks);
const PLANS = plan(BLOCKS);

// ---------------------------------------------------------------------------------------------
// The service, and a world per block

let oauth: Awaited<ReturnType<typeof startOAuthWorld>>;
let app: FakeApp;
let devKeyDir: string;

beforeAll(async () => {
  app = await new FakeApp(() => ({ status: 200, body: { data: { gid: "1200", name: "Docs Example" } } })).start();
  devKeyDir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-docs-"));
  oauth = await startOAuthWorld({
    env: {
      APP_BASE_URL_OVERRIDES: JSON.stringify({ sendgrid: app.url, "asana-token": app.url }),
      // The Zendesk example's credential check reaches the same stand-in, after its URL passed the host check.
      APP_HOST_OVERRIDES: JSON.stringify({ "*.zendesk.com": app.url }),
      OAUTH_CLIENTS: JSON.stringify({
        [TEST_APP]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        github: { clientId: "Iv1.docs-default", clientSecret: "docs-default-secret" },
      }),
      OAUTH_RETURN_URLS: DOCS_RETURN_URL,
      EGRESS_IP_RANGES,
      // The README's first call mints a dev token with `npm run token`: accept those too.
      DEV_TOKENS: "true",
      DEV_KEY_PATH: path.join(devKeyDir, "dev-signing-key.json"),
    },
  });
}, 60_000);

afterAll(async () => {
  await oauth?.stop();
  await app?.stop();
  if (devKeyDir) fs.rmSync(devKeyDir, { recursive: true, force: true });
});

const service = () => oauth.service;

type Team = Awaited<ReturnType<typeof buildTeam>>;

/** Ids and secrets a block names as `"<name>"`, built when first asked for. */
class World {
  private readonly values = new Map<string, Promise<string>>();
  readonly team: Promise<Team>;

  constructor() {
    this.team = buildTeam(service());
  }

  get(name: string): Promise<string> {
    let value = this.values.get(name);
    if (!value) {
      const build = BUILDERS[name];
      if (!build) throw new Error(`unknown placeholder "<${name}>" (known: ${Object.keys(BUILDERS).join(", ")})`);
      value = build(this);
      this.values.set(name, value);
    }
    return value;
  }

  /** Runs a GraphQL operation as the workspace's owner, failing on errors. */
  async asOwner<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { owner } = await this.team;
    return dataOf(await service().call<T>(owner.userId, query, variables));
  }

  /** The bearer token a block runs with. */
  async token(runner: Runner): Promise<string> {
    const team = await this.team;
    if (runner === "readOnlyToken") return this.get("readOnlyToken");
    const user = { owner: team.owner, admin: team.admin, member: team.member, outsider: team.outsider }[runner].userId;
    return service().token(user);
  }
}

const random = (prefix: string) => `${prefix}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;

async function createApiToken(w: World, scope: string): Promise<{ token: string; apiToken: { id: string } }> {
  const { workspace } = await w.team;
  const data = await w.asOwner<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    `mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }`,
    { input: { workspaceId: workspace.id, name: `docs ${scope}`, scope } },
  );
  return data.createApiToken;
}

/** What each placeholder stands for (docs/development.md lists them for doc writers). */
const BUILDERS: Record<string, (w: World) => Promise<string>> = {
  workspaceId: async (w) => (await w.team).workspace.id,
  workspaceName: async (w) => (await w.team).workspace.name,
  otherWorkspaceId: async (w) => (await w.team).otherWorkspace.id,
  ownerMemberId: async (w) => (await w.team).owner.id,
  ownerUserId: async (w) => (await w.team).owner.userId,
  adminMemberId: async (w) => (await w.team).admin.id,
  memberId: async (w) => (await w.team).member.id,
  sendgridKey: async () => sendgridKey(),
  legacyApiKey: async () => sendgridKey(),
  asanaToken: async () => random("1/"),
  clientSecret: async () => random("gh-secret-"),
  billingApiKey: async () => random("bk_"),
  accountId: async (w) => {
    const { workspace, owner } = await w.team;
    return (await buildAccount(service(), { workspaceId: workspace.id, owner, appSlug: "sendgrid", nickname: "Transactional mail" })).id;
  },
  asanaAccountId: async (w) => {
    const { workspace, owner } = await w.team;
    return (await buildAccount(service(), { workspaceId: workspace.id, owner, appSlug: "asana-token", nickname: "My Asana", credentials: { token: random("1/") } })).id;
  },
  sharedAccountId: async (w) => {
    const { workspace, owner } = await w.team;
    const account = await buildAccount(service(), {
      workspaceId: workspace.id,
      owner,
      appSlug: "asana-token",
      nickname: "Team Asana",
      credentials: { token: random("1/") },
      grants: ["workspace"],
    });
    return account.id;
  },
  legacyAccountId: async (w) => {
    const { workspace } = await w.team;
    const key = await w.get("legacyApiKey");
    return (await buildAccount(service(), { workspaceId: workspace.id, owner: null, nickname: "Old mailer", credentials: { api_key: key }, grants: ["workspace"] })).id;
  },
  otherWorkspaceAccountId: async (w) => {
    const { otherWorkspace, outsider } = await w.team;
    return (await buildAccount(service(), { workspaceId: otherWorkspace.id, owner: outsider })).id;
  },
  oauthAccountId: async (w) => {
    const { workspace, owner } = await w.team;
    return connectTestApp(service(), oauth.provider, owner.userId, workspace.id);
  },
  workflowId: async (w) => {
    const { workspace } = await w.team;
    const data = await w.asOwner<{ createWorkflow: { id: string } }>(
      `mutation ($ws: ID!) { createWorkflow(workspaceId: $ws, name: "Daily digest", builderVersion: V2) { id } }`,
      { ws: workspace.id },
    );
    return data.createWorkflow.id;
  },
  stepId: async (w) => {
    const input = {
      workflowId: await w.get("workflowId"),
      kind: "HTTP_REQUEST",
      appSlug: "asana-token",
      accountId: await w.get("asanaAccountId"),
      http: { method: "GET", path: "/users/me" },
      props: { project: "P1" },
    };
    const data = await w.asOwner<{ addStep: { id: string } }>(`mutation ($input: AddStepInput!) { addStep(input: $input) { id } }`, { input });
    return data.addStep.id;
  },
  v1WorkflowId: async (w) => {
    const { workspace } = await w.team;
    const data = await w.asOwner<{ createWorkflow: { id: string } }>(
      `mutation ($ws: ID!) { createWorkflow(workspaceId: $ws, name: "Legacy flow", builderVersion: V1) { id } }`,
      { ws: workspace.id },
    );
    return data.createWorkflow.id;
  },
  oauthClientId: async (w) => {
    const { workspace } = await w.team;
    const input = { workspaceId: workspace.id, appSlug: "github", clientId: "Iv1.docs-workspace", clientSecret: await w.get("clientSecret"), scopes: ["repo", "read:user"] };
    const data = await w.asOwner<{ registerOAuthClient: { id: string } }>(`mutation ($input: RegisterOAuthClientInput!) { registerOAuthClient(input: $input) { id } }`, { input });
    return data.registerOAuthClient.id;
  },
  shopifyClientId: async (w) => {
    const { workspace } = await w.team;
    const input = { workspaceId: workspace.id, appSlug: "shopify", clientId: "docs-shopify-client", clientSecret: await w.get("clientSecret"), scopes: ["read_products"] };
    const data = await w.asOwner<{ registerOAuthClient: { id: string } }>(`mutation ($input: RegisterOAuthClientInput!) { registerOAuthClient(input: $input) { id } }`, { input });
    return data.registerOAuthClient.id;
  },
  zendeskToken: async () => random("zd"),
  webhookEndpointId: async (w) => {
    const { workspace } = await w.team;
    const data = await w.asOwner<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`,
      { input: { workspaceId: workspace.id, url: "https://hooks.example.com/docs" } },
    );
    return data.createWebhookEndpoint.endpoint.id;
  },
  apiTokenId: async (w) => (await createApiToken(w, "FULL")).apiToken.id,
  readOnlyToken: async (w) => (await createApiToken(w, "READ_ONLY")).token,
  appRequestId: async (w) => {
    const { workspace } = await w.team;
    const data = await w.asOwner<{ requestApp: { id: string } }>(`mutation ($input: RequestAppInput!) { requestApp(input: $input) { id } }`, {
      input: { workspaceId: workspace.id, name: "Docs CRM", url: "https://crm.docs.example" },
    });
    return data.requestApp.id;
  },
};

/**
 * Changes a subscriber must hear about: a new account (ACCOUNT_CONNECTED), shared with the whole
 * workspace (ACCOUNT_ACCESS_CHANGED), and an OAuth account whose grant the provider revoked, found
 * out by a request through it (ACCOUNT_RECONNECT_REQUIRED).
 */
async function makeEvents(w: World): Promise<void> {
  const { workspace } = await w.team;
  const connected = await w.asOwner<{ connectKeyAccount: { id: string } }>(
    `mutation ($input: ConnectKeyAccountInput!) { connectKeyAccount(input: $input) { id } }`,
    { input: { workspaceId: workspace.id, appSlug: "sendgrid", nickname: "Events", credentials: [{ name: "api_key", value: sendgridKey() }] } },
  );
  await w.asOwner(`mutation ($id: ID!) { shareAccount(input: { accountId: $id, workspace: true }) { id } }`, { id: connected.connectKeyAccount.id });
  const oauthAccountId = await w.get("oauthAccountId");
  await oauth.provider.revokeAll();
  const { owner } = await w.team;
  // The app answers 401, the forced refresh gets invalid_grant: NEEDS_RECONNECT (the answer itself does not matter here).
  await service().call(owner.userId, `mutation ($id: ID!) { sendAccountRequest(input: { accountId: $id, method: "GET", path: "/me" }) { status } }`, { id: oauthAccountId });
}

// ---------------------------------------------------------------------------------------------
// Running blocks

const PLACEHOLDER = /"<([A-Za-z][A-Za-z0-9]*)>"/g;

/** The block with every `"<name>"` replaced by the world's value (as a GraphQL string). */
async function fillPlaceholders(code: string, world: World): Promise<string> {
  const names = [...new Set([...code.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  const values = new Map<string, string>();
  for (const name of names) values.set(name, await world.get(name)); // in order: builders share the world
  return code.replace(PLACEHOLDER, (_match, name: string) => JSON.stringify(values.get(name)));
}

/** The block's operations, each as its own document (with the block's fragments). */
function operationsOf(code: string): Array<{ kind: "query" | "mutation" | "subscription"; text: string }> {
  const document = parse(code);
  const fragments: DefinitionNode[] = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 0) throw new Error("no operation in the block");
  return operations.map((operation) => ({
    kind: operation.operation,
    text: print({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }),
  }));
}

const describeErrors = (errors: readonly GraphQLErrorBody[] | unknown[] | undefined) => JSON.stringify(errors);

function expectAnswered(result: GraphQLResult<unknown>, what: string): void {
  if (result.errors?.length || result.data == null) {
    throw new Error(`${what} answered errors (HTTP ${result.status}): ${describeErrors(result.errors ?? [result.text])}`);
  }
}

function expectCode(result: GraphQLResult<unknown>, code: string, what: string): void {
  const codes = (result.errors ?? []).map((e) => e.extensions?.code);
  if (!codes.includes(code)) throw new Error(`${what} should answer ${code}, answered (HTTP ${result.status}) ${describeErrors(result.errors ?? [result.text])}`);
}

/** A doc that shows an error on purpose must say which, in the text next to the example. */
function expectCodeNamed(block: Block): void {
  if (block.expect && !block.around.includes(block.expect)) {
    throw new Error(`${block.id}: "expect: ${block.expect}" but the text around the block does not name ${block.expect}`);
  }
}

async function runGraphql(block: Block): Promise<void> {
  for (const part of [block, block.variables]) {
    if (part?.code.includes("…")) throw new Error(`${part.id}: "…" in a graphql block cannot run; write a "<name>" placeholder (docs/development.md)`);
  }
  expectCodeNamed(block);
  const world = new World();
  const operations = operationsOf(await fillPlaceholders(block.code, world));
  const variables = block.variables ? (JSON.parse(await fillPlaceholders(block.variables.code, world)) as Record<string, unknown>) : undefined;
  const token = await world.token(block.as);
  const subscribers: Subscriber[] = [];
  try {
    for (const [index, operation] of operations.entries()) {
      const what = `${block.id}, operation ${index + 1} (${operation.text.replace(/\s+/g, " ").slice(0, 80)}…)`;
      const last = index === operations.length - 1;
      if (operation.kind === "subscription") {
        if (block.expect && last) throw new Error(`${block.id}: "expect" on a subscription is not supported`);
        subscribers.push(new Subscriber(service().url, token).subscribe(operation.text, variables ?? {}));
        continue;
      }
      const result = await gql(service().url, operation.text, variables, { token });
      if (block.expect && last) expectCode(result, block.expect, what);
      else expectAnswered(result, what);
    }
    if (subscribers.length > 0) {
      await settle(300); // subscribed (and any replay delivered) before the changes
      const before = subscribers.map((s) => s.events.length);
      await makeEvents(world);
      for (const [index, subscriber] of subscribers.entries()) {
        await subscriber.waitFor((s) => s.events.length > before[index]! || s.errors.length > 0 || s.closed !== null, 15_000);
        if (subscriber.errors.length > 0 || subscriber.events.length <= before[index]!) {
          throw new Error(`${block.id}: subscription ${index + 1} got no event after the changes: errors ${describeErrors(subscriber.errors)}, closed ${JSON.stringify(subscriber.closed)}`);
        }
      }
    }
  } finally {
    for (const subscriber of subscribers) await subscriber.close();
  }
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysOf(item, into);
  else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      keysOf(item, into);
    }
  }
  return into;
}

function runBash(script: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile("bash", ["-c", `set -eo pipefail\n${script}`], { cwd: ROOT, env, timeout: 90_000, maxBuffer: 10_000_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

async function runCurl(block: Block): Promise<void> {
  if (!block.code.includes("http://localhost:4000")) throw new Error(`${block.id}: a curl example should call http://localhost:4000 (the test points it at its service)`);
  expectCodeNamed(block);
  const world = new World();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? os.tmpdir(),
    // What a reader has set by then; a block that sets TOKEN itself (the README's first call) wins.
    TOKEN: await world.token(block.as),
    ACCOUNT_ID: block.code.includes("$ACCOUNT_ID") ? await world.get("accountId") : "",
    // For `npm run token`: the dev key the service accepts.
    NODE_ENV: "development",
    DEV_KEY_PATH: path.join(devKeyDir, "dev-signing-key.json"),
    DATA_DIR: devKeyDir,
    LOG_LEVEL: "silent",
  };
  const script = block.code.replaceAll("http://localhost:4000", service().baseUrl);
  const { stdout } = await runBash(script, env);
  let answer: unknown;
  try {
    answer = JSON.parse(stdout);
  } catch {
    throw new Error(`${block.id}: the answer is not JSON: ${stdout.slice(0, 500)}`);
  }
  const body = answer as { errors?: GraphQLErrorBody[]; error?: { code?: string } };
  const code = body.errors?.[0]?.extensions?.code ?? body.error?.code;
  if (block.expect) {
    if (code !== block.expect) throw new Error(`${block.id}: should answer ${block.expect}, answered ${stdout.slice(0, 500)}`);
  } else if (body.errors || body.error) {
    throw new Error(`${block.id}: answered an error: ${stdout.slice(0, 500)}`);
  }
  // A `# {...}` line shows the answer's shape: each key it names must be in the real answer.
  const keys = keysOf(answer);
  for (const shown of block.code.split("\n").filter((line) => /^#\s*[{[]/.test(line))) {
    for (const [, key] of shown.matchAll(/"([A-Za-z_][A-Za-z0-9_]*)":/g)) {
      if (!keys.has(key!)) throw new Error(`${block.id}: the answer shown has "${key}", the real one does not: ${stdout.slice(0, 500)}`);
    }
  }
}

async function runJs(block: Block): Promise<void> {
  const imports = block.code.split("\n").filter((line) => /^\s*import\b/.test(line));
  for (const line of imports) {
    if (!/^import \{ createClient \} from "graphql-ws";$/.test(line.trim())) throw new Error(`${block.id}: cannot provide "${line.trim()}"`);
  }
  const world = new World();
  const { workspace } = await world.team;
  const received: ExecutionResult[] = [];
  const reported: unknown[] = [];
  const clients: Client[] = [];
  const wsBase = service().baseUrl.replace(/^http/, "ws");
  // The real graphql-ws client; only the URL (localhost:4000) and Node 20's WebSocket are supplied.
  const sandboxCreateClient = (options: ClientOptions) => {
    if (!String(options.url).startsWith("ws://localhost:4000/")) throw new Error(`${block.id}: the client should connect to ws://localhost:4000/graphql`);
    const client = createClient({ ...options, url: String(options.url).replace("ws://localhost:4000", wsBase), webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    return {
      ...client,
      subscribe: (payload: SubscribePayload, sink: Sink) =>
        client.subscribe(payload, {
          next: (value: ExecutionResult) => {
            received.push(value);
            sink.next(value);
          },
          error: (error: unknown) => sink.error(error),
          complete: () => sink.complete(),
        }),
    };
  };
  const context = vm.createContext({
    createClient: sandboxCreateClient,
    token: await world.token(block.as),
    workspaceId: workspace.id,
    loadLastCursor: () => null,
    console: { error: (...args: unknown[]) => reported.push(args), log: () => undefined },
  });
  try {
    vm.runInContext(block.code.split("\n").filter((line) => !/^\s*import\b/.test(line)).join("\n"), context, { filename: block.id });
    await settle(300);
    await makeEvents(world);
    const until = Date.now() + 15_000;
    while (received.length === 0 && reported.length === 0 && Date.now() < until) await settle(20);
    if (reported.length > 0 || received.length === 0) throw new Error(`${block.id}: no event received; reported ${describeErrors(reported)}`);
    const failed = received.find((result) => result.errors);
    if (failed) throw new Error(`${block.id}: the subscription answered errors ${describeErrors([...failed.errors!])}`);
    // The snippet's own handler ran: it kept the cursor of the last event it received.
    const cursors = received.map((result) => Object.values((result.data ?? {}) as Record<string, { cursor?: unknown }>)[0]?.cursor);
    expect(cursors.every((cursor) => typeof cursor === "number")).toBe(true);
    expect(vm.runInContext("lastCursor", context)).toBe(cursors.at(-1));
  } finally {
    for (const client of clients) await client.dispose();
  }
}

// ---------------------------------------------------------------------------------------------

describe("doc examples", () => {
  it("links only to files that exist, from the README, ARCHITECTURE.md and every doc", () => {
    const broken: string[] = [];
    for (const file of [...docFiles(), "ARCHITECTURE.md", "catalog/README.md"]) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!fs.existsSync(path.join(ROOT, path.dirname(file), target!))) broken.push(`${file}: ${target}`);
      }
      // Source paths named in prose (`src/...`) exist too.
      for (const [, source] of text.matchAll(/`(src\/[\w./-]+\.ts)`/g)) if (!fs.existsSync(path.join(ROOT, source!))) broken.push(`${file}: ${source}`);
    }
    expect(broken).toEqual([]);
  });

  it("finds the docs' code blocks, and runs each one or names why not", () => {
    expect(BLOCKS.filter((b) => b.lang === "graphql").length).toBeGreaterThan(20);
    const unlisted = PLANS.filter((p) => p.run === "no" && !p.reason).map((p) => `${p.block.id} (${p.block.lang || "no language"})`);
    expect(unlisted).toEqual([]);
    const stale = NOT_RUN.filter((entry) => PLANS.filter((p) => p.block.file === entry.file && p.block.code.includes(entry.contains)).length !== 1);
    expect(stale).toEqual([]);
    const annotatedButNotRun = PLANS.filter((p) => p.run === "no" && (p.block.expect || p.block.as !== "owner")).map((p) => p.block.id);
    expect(annotatedButNotRun).toEqual([]);
  });

  for (const item of PLANS) {
    if (item.run === "no" || item.run === "variables") continue;
    const { block } = item;
    const title = `${block.id} (${block.lang}${block.as !== "owner" ? `, as ${block.as}` : ""}${block.expect ? `, expects ${block.expect}` : ""})`;
    const run = item.run === "graphql" ? runGraphql : item.run === "curl" ? runCurl : runJs;
    it(title, () => run(block), 120_000);
  }
});
