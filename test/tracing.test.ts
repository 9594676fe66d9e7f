/**
 * Traces and request-scoped logs (docs/observability.md): a router's W3C `traceparent` continues
 * into the subgraph, the spans reach a real OTLP/HTTP receiver on loopback as a tree (server →
 * GraphQL operation → SQL statements; provider calls with the app and outcome), and nothing of a
 * secret, a document, variables or an id is in them. Every answer carries its request id, which
 * every log line of the request carries too, with the trace id.
 */
import { randomBytes } from "node:crypto";
import { flushTracing } from "../src/observability/tracing";
import { buildAccount, buildTeam, sendgridKey } from "./support/factories";
import { FakeApp } from "./support/fake-app";
import { CLIENT_SECRET, TEST_APP, connectTestApp, startOAuthWorld } from "./support/oauth-harness";
import { OtlpReceiver, type ReceivedSpan } from "./support/otlp-receiver";

jest.setTimeout(60_000);

let receiver: OtlpReceiver;
let fakeApp: FakeApp;
let world: Awaited<ReturnType<typeof startOAuthWorld>>;

beforeAll(async () => {
  receiver = await new OtlpReceiver().start();
  fakeApp = await new FakeApp(() => ({ status: 200, body: { ok: true } })).start();
  world = await startOAuthWorld({
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "ca-test", APP_BASE_URL_OVERRIDES: JSON.stringify({ sendgrid: fakeApp.url }) },
  });
});

afterAll(async () => {
  await world?.stop();
  await fakeApp?.stop();
  await receiver?.stop();
});

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** Posts an operation with a router's trace context and a request id. */
async function post(token: string, query: string, variables: Record<string, unknown>, trace: { traceId: string; parentId: string }, requestId?: string) {
  return fetch(world.service.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      traceparent: `00-${trace.traceId}-${trace.parentId}-01`,
      ...(requestId ? { "x-request-id": requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
}

/** Waits until the receiver has the trace's spans (the batch processor is flushed first). */
async function spansOf(traceId: string, atLeast: number): Promise<ReceivedSpan[]> {
  for (let i = 0; i < 50; i++) {
    await flushTracing();
    const spans = receiver.trace(traceId);
    if (spans.length >= atLeast) return spans;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`trace ${traceId}: ${receiver.trace(traceId).length} spans arrived, expected at least ${atLeast}`);
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan) => spans.filter((s) => s.parentSpanId === parent.spanId);

describe("traces", () => {
  it("continues the router's trace: server span, the operation named after itself, its SQL statements by kind", async () => {
    const team = await buildTeam(world.service);
    const key = sendgridKey();
    const account = await buildAccount(world.service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: key }, nickname: "Traced mail" });
    const trace = { traceId: hex(16), parentId: hex(8) };
    const token = await world.service.token(team.owner.userId);
    const response = await post(token, "query AccountNickname($id: ID!) { account(id: $id) { id nickname } }", { id: account.id }, trace, "trace-test-1");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { account: { nickname: string } } }).data.account.nickname).toBe("Traced mail");

    const spans = await spansOf(trace.traceId, 3);
    const server = spans.find((s) => s.parentSpanId === trace.parentId);
    expect(server).toMatchObject({ name: "POST /graphql", kind: 2, attributes: { "http.route": "/graphql", "http.request.method": "POST", "http.response.status_code": 200 } });
    const operation = childrenOf(spans, server!).find((s) => s.name === "query AccountNickname");
    expect(operation?.attributes).toMatchObject({ "graphql.operation.name": "AccountNickname", "graphql.operation.type": "query", "graphql.outcome": "OK" });
    // The statements it ran: children of the operation, named by kind only.
    const statements = spans.filter((s) => s.name.startsWith("db "));
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.kind).toBe(3); // CLIENT
      expect(statement.name).toMatch(/^db (SELECT|INSERT|UPDATE|DELETE|BEGIN|START|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|OTHER)$/);
      expect(statement.attributes["db.operation.name"]).toBe(statement.name.slice(3));
      // Under the operation, however deep.
      let at: ReceivedSpan | undefined = statement;
      while (at && at !== operation) at = spans.find((s) => s.spanId === at!.parentSpanId);
      expect(at).toBe(operation);
    }

    // Nothing of the document, the variables, the ids, the key or the bearer token.
    const sent = receiver.bodies.join("\n");
    for (const secret of [key, token, account.id, team.workspace.id, team.owner.userId, "nickname", "Traced mail"]) expect(sent).not.toContain(secret);
  });

  it("shows provider calls with the app and outcome, never their URLs or tokens: a request through an account, then a refused refresh", async () => {
    const team = await buildTeam(world.service);
    const accountId = await connectTestApp(world.service, world.provider, team.owner.userId, team.workspace.id);
    const token = await world.service.token(team.owner.userId);
    const read = await fetch(`${world.service.baseUrl}/v1/accounts/${accountId}?include_credentials=1`, { headers: { authorization: `Bearer ${token}` } });
    const credentials = ((await read.json()) as { credentials: { oauth_access_token: string; oauth_refresh_token: string } }).credentials;
    await world.provider.revokeAll();

    const trace = { traceId: hex(16), parentId: hex(8) };
    const answer = await post(
      token,
      "mutation Send($id: ID!) { sendAccountRequest(input: { accountId: $id, method: \"GET\", path: \"/me\" }) { status } }",
      { id: accountId },
      trace,
      "trace-test-2",
    );
    expect(answer.status).toBe(200);
    const spans = await spansOf(trace.traceId, 4);
    const request = spans.find((s) => s.name === "provider request");
    expect(request?.attributes).toMatchObject({ "ca.app": TEST_APP, "ca.provider.call": "request", "ca.outcome": "ok" });
    const refresh = spans.find((s) => s.name === "provider refresh");
    expect(refresh?.attributes).toMatchObject({ "ca.app": TEST_APP, "ca.provider.call": "refresh", "ca.outcome": "error", "error.type": "TokenEndpointError" });
    expect(refresh?.status).toBe(2); // ERROR
    expect(refresh?.kind).toBe(3);

    // The refresh's log line: its outcome class, the request's id and trace, no token.
    const failed = world.service.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "token refresh failed" && l.requestId === "trace-test-2");
    expect(failed).toMatchObject({ level: "warn", app: TEST_APP, outcome: "invalid_grant", traceId: trace.traceId });

    const sent = receiver.bodies.join("\n");
    for (const secret of [credentials.oauth_access_token, credentials.oauth_refresh_token, CLIENT_SECRET, token, accountId, world.provider.issuer, "/me"]) {
      expect(sent).not.toContain(secret);
    }
    expect(world.service.logs.join("\n")).not.toContain(credentials.oauth_refresh_token);
  });
});

describe("request ids", () => {
  const get = (headers: Record<string, string> = {}) => fetch(`${world.service.baseUrl}/healthz`, { headers });

  it("echoes a caller's x-request-id", async () => {
    expect((await get({ "x-request-id": "router-7f3a.1:b_c-d" })).headers.get("x-request-id")).toBe("router-7f3a.1:b_c-d");
  });

  it("makes one when there is none, and replaces one that is not a plain token of at most 128 characters", async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const made = (await get()).headers.get("x-request-id")!;
    expect(made).toMatch(uuid);
    expect((await get()).headers.get("x-request-id")).not.toBe(made);
    for (const bad of ["has space", "x".repeat(129), "<script>", "a\u00e9b", "id;drop"]) {
      expect((await get({ "x-request-id": bad })).headers.get("x-request-id")).toMatch(uuid);
    }
  });

  it("answers errors with the id too", async () => {
    const token = await world.service.token("nobody-" + hex(4));
    const response = await fetch(`${world.service.baseUrl}/v1/accounts/00000000-0000-4000-8000-000000000000?include_credentials=1`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "rest-missing-1" },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toBe("rest-missing-1");
  });
});
