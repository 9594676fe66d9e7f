/**
 * Prometheus metrics (docs/observability.md): where they are served (a listener of their own, or
 * the public port behind METRICS_TOKEN, never the public port open), what the service counts as
 * it works (operations, credential reads, refreshes and their outcome classes, health transitions,
 * alerts, events and deliveries, connections), and that labels stay a closed set: after a run with
 * many users, accounts and made-up operation names, no label carries an id, a name, a secret or
 * anything a caller typed, and the set of series does not grow with the number of users.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { loadConfig } from "../src/config";
import { committedOperationNames } from "../src/graphql/committed-operations";
import { buildAccount, buildMember, buildTeam, buildWorkspace, sendgridKey } from "./support/factories";
import { CLIENT_SECRET, TEST_APP, connectTestApp, startOAuthWorld } from "./support/oauth-harness";
import { startTestService, type TestService } from "./support/test-service";
import { ACCOUNT_EVENTS, Subscriber } from "./support/ws-client";

jest.setTimeout(90_000);

const METRICS_TOKEN = `metrics-${randomBytes(12).toString("hex")}`;

/** One sample of the text format: `name{a="x",b="y"} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of one series (0 when absent). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

const seriesKey = (s: Sample) => `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${v}`).join(",")}}`;

describe("where metrics are served", () => {
  let open: TestService;
  let tokened: TestService;
  let plain: TestService;

  beforeAll(async () => {
    plain = await startTestService();
    open = await startTestService({ METRICS_PORT: "0" });
    tokened = await startTestService({ METRICS_TOKEN });
  });
  afterAll(async () => {
    await Promise.all([plain?.close(), open?.close(), tokened?.close()]);
  });

  it("not at all on the public port without METRICS_TOKEN, with or without a metrics port", async () => {
    expect(plain.metricsUrl).toBeNull();
    for (const service of [plain, open]) {
      const response = await fetch(`${service.baseUrl}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("ca_");
    }
  });

  it("on the metrics port (METRICS_PORT): the text format, and nothing but /metrics", async () => {
    expect(open.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(open.metricsUrl!).port).not.toBe(String(open.port));
    const response = await fetch(open.metricsUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const samples = parseSamples(await response.text());
    expect(samples.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
    expect(samples.some((s) => s.name.startsWith("ca_"))).toBe(true);
    expect((await fetch(open.metricsUrl!.replace(/\/metrics$/, "/graphql"))).status).toBe(404);
  });

  it("on the public port behind the bearer METRICS_TOKEN only", async () => {
    const url = `${tokened.baseUrl}/metrics`;
    for (const authorization of [undefined, "Bearer wrong-token-of-some-length", `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`, `Bearer ${METRICS_TOKEN.slice(0, -1)}`]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
      expect(await response.text()).not.toContain("ca_");
    }
    const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(parseSamples(await response.text()).some((s) => s.name === "ca_http_requests_total")).toBe(true);
    expect((await fetch(url, { method: "POST", headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(405);
  });

  it("refuses settings that would expose them or cannot work", () => {
    const base = { NODE_ENV: "test" };
    expect(() => loadConfig({ ...base, METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ ...base, PORT: "4100", METRICS_PORT: "4100" })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ ...base, METRICS_OPERATION_NAMES: "Good,not-a-name" })).toThrow(/METRICS_OPERATION_NAMES/);
    expect(() => loadConfig({ ...base, OTEL_TRACES_EXPORTER: "zipkin" })).toThrow(/OTEL_TRACES_EXPORTER/);
    expect(loadConfig(base).metrics.enabled).toBe(false);
    expect(loadConfig(base).tracing.enabled).toBe(false);
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracing).toMatchObject({ enabled: true, tracesUrl: "http://collector:4318/v1/traces" });
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" }).tracing.enabled).toBe(false);
  });
});

describe("what they count", () => {
  let world: Awaited<ReturnType<typeof startOAuthWorld>>;
  let service: TestService;
  const scrape = async () => {
    const response = await fetch(`${service.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    return parseSamples(await response.text());
  };
  /** Everything the run put into the service that must never be a label value. */
  const typed = new Set<string>();

  beforeAll(async () => {
    world = await startOAuthWorld({ env: { METRICS_TOKEN, ACCOUNT_COUNT_INTERVAL_MS: "1000" } });
    service = world.service;
  });
  afterAll(async () => {
    await world?.stop();
  });

  const post = async (user: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(service.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${await service.token(user)}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown>; errors?: Array<{ extensions: { code: string } }> };
  };

  it("counts operations by committed name (others as `other`), type and outcome code, with latencies", async () => {
    const team = await buildTeam(service);
    typed.add(team.owner.userId).add(team.workspace.id);
    const before = await scrape();
    expect(committedOperationNames()).toContain("Viewer");
    await post(team.owner.userId, "query Viewer { viewer { userId } }");
    const madeUp = `Secret_${randomBytes(6).toString("hex")}`;
    typed.add(madeUp);
    await post(team.owner.userId, `query ${madeUp} { viewer { userId } }`);
    const notFound = await post(team.owner.userId, "query Account($id: ID!) { account(id: $id) { id } }", { id: randomUUID() });
    expect(notFound.errors?.[0]?.extensions.code).toBe("NOT_FOUND");
    await post(team.owner.userId, "query { nope }");
    const after = await scrape();
    const delta = (labels: Record<string, string>) => valueOf(after, "ca_graphql_operations_total", labels) - valueOf(before, "ca_graphql_operations_total", labels);
    expect(delta({ operation: "Viewer", type: "query", outcome: "OK" })).toBe(1);
    expect(delta({ operation: "other", type: "query", outcome: "OK" })).toBe(1);
    expect(delta({ operation: "Account", type: "query", outcome: "NOT_FOUND" })).toBe(1);
    expect(delta({ operation: "other", type: "unknown", outcome: "GRAPHQL_VALIDATION_FAILED" })).toBe(1);
    expect(valueOf(after, "ca_graphql_operation_duration_seconds_count", { operation: "Viewer" }) - valueOf(before, "ca_graphql_operation_duration_seconds_count", { operation: "Viewer" })).toBe(1);
    expect(valueOf(after, "ca_http_requests_total", { route: "/graphql", method: "POST", status_class: "2xx" }) - valueOf(before, "ca_http_requests_total", { route: "/graphql", method: "POST", status_class: "2xx" })).toBeGreaterThanOrEqual(3);
  });

  it("counts credential reads by how they were served, refreshes by outcome class, the accounts that need reconnecting, and the alerts", async () => {
    const team = await buildTeam(service);
    const keyAccount = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const oauthAccountId = await connectTestApp(service, world.provider, team.owner.userId, team.workspace.id);
    const token = await service.token(team.owner.userId);
    const read = (id: string, user = token) => fetch(`${service.baseUrl}/v1/accounts/${id}?include_credentials=1`, { headers: { authorization: `Bearer ${user}` } });
    const before = await scrape();
    expect((await read(keyAccount.id)).status).toBe(200);
    expect((await read(oauthAccountId)).status).toBe(200);
    expect((await read(keyAccount.id, await service.token(team.member.userId))).status).toBe(404);
    // The grant is revoked at the provider: the next request gets 401, the forced refresh invalid_grant.
    await world.provider.revokeAll();
    await post(team.owner.userId, `mutation { sendAccountRequest(input: { accountId: "${oauthAccountId}", method: "GET", path: "/me" }) { status } }`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(delta("ca_credential_reads_total", { app: "sendgrid", outcome: "fresh" })).toBe(1);
    expect(delta("ca_credential_reads_total", { app: TEST_APP, outcome: "fresh" })).toBe(1);
    expect(delta("ca_credential_reads_total", { app: "sendgrid", outcome: "refused" })).toBe(1);
    expect(delta("ca_account_requests_total", { app: TEST_APP, status_class: "4xx" })).toBe(1);
    expect(delta("ca_refreshes_total", { app: TEST_APP, outcome: "invalid_grant" })).toBe(1);
    expect(delta("ca_provider_calls_total", { app: TEST_APP, kind: "refresh", outcome: "error" })).toBe(1);
    // One request: its 401 led to a forced refresh, which the provider refused (no retry).
    expect(delta("ca_provider_call_duration_seconds_count", { app: TEST_APP, kind: "request" })).toBe(1);
    expect(delta("ca_account_health_transitions_total", { to: "NEEDS_RECONNECT", app: TEST_APP })).toBe(1);
    expect(delta("ca_alerts_raised_total", { kind: "ACCOUNT_RECONNECT_REQUIRED" })).toBe(1);
    expect(delta("ca_events_appended_total", { kind: "ACCOUNT_RECONNECT_REQUIRED" })).toBe(1);
    // The background count sees the shared table (every instance reports the same).
    expect(valueOf(after, "ca_accounts", { health: "NEEDS_RECONNECT" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, "ca_accounts", { health: "HEALTHY" })).toBeGreaterThanOrEqual(1);
    expect(valueOf(after, "ca_audit_queue_depth")).toBeGreaterThanOrEqual(0);
  });

  it("counts connections, subscriptions and deliveries with their lag, and gives the gauges back when clients leave", async () => {
    const team = await buildTeam(service);
    const before = await scrape();
    const subscriber = new Subscriber(service.url, await service.token(team.owner.userId)).subscribe(ACCOUNT_EVENTS, { workspaceId: team.workspace.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const open = await scrape();
    expect(valueOf(open, "ca_ws_connections") - valueOf(before, "ca_ws_connections")).toBe(1);
    expect(valueOf(open, "ca_ws_subscriptions") - valueOf(before, "ca_ws_subscriptions")).toBe(1);
    await post(team.owner.userId, `mutation ($input: ConnectKeyAccountInput!) { connectKeyAccount(input: $input) { id } }`, {
      input: { workspaceId: team.workspace.id, appSlug: "sendgrid", credentials: [{ name: "api_key", value: sendgridKey() }], verify: false },
    });
    await subscriber.waitFor((s) => s.events.length === 1);
    const delivered = await scrape();
    expect(valueOf(delivered, "ca_events_delivered_total") - valueOf(before, "ca_events_delivered_total")).toBe(1);
    expect(valueOf(delivered, "ca_event_delivery_lag_seconds_count") - valueOf(before, "ca_event_delivery_lag_seconds_count")).toBe(1);
    expect(valueOf(delivered, "ca_events_published_total") - valueOf(before, "ca_events_published_total")).toBeGreaterThanOrEqual(1);
    expect(valueOf(delivered, "ca_graphql_operations_total", { operation: "other", type: "subscription", outcome: "OK" }) - valueOf(before, "ca_graphql_operations_total", { operation: "other", type: "subscription", outcome: "OK" })).toBe(1);
    await subscriber.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closed = await scrape();
    expect(valueOf(closed, "ca_ws_connections")).toBe(valueOf(before, "ca_ws_connections"));
    expect(valueOf(closed, "ca_ws_subscriptions")).toBe(valueOf(before, "ca_ws_subscriptions"));
  });

  it("keeps labels a closed set: after many users, accounts and made-up names, the same series, and nothing anyone typed", async () => {
    // The same work, for 4 users and then for 40: the series must not grow with them.
    const round = async (users: number) => {
      const workspace = await buildWorkspace(service);
      typed.add(workspace.workspace.id).add(workspace.owner.userId);
      for (let i = 0; i < users; i++) {
        const member = await buildMember(service, workspace.workspace.id, { role: "MEMBER" });
        const key = sendgridKey();
        const nickname = `Nick ${randomBytes(5).toString("hex")}`;
        const account = await buildAccount(service, { workspaceId: workspace.workspace.id, owner: member, credentials: { api_key: key }, nickname });
        const operation = `Op_${randomBytes(5).toString("hex")}`;
        for (const value of [member.userId, member.id, account.id, key, nickname, operation]) typed.add(value);
        await post(member.userId, `query ${operation}($id: ID!) { account(id: $id) { nickname } }`, { id: account.id });
        await fetch(`${service.baseUrl}/v1/accounts/${account.id}?include_credentials=1`, { headers: { authorization: `Bearer ${await service.token(member.userId)}` } });
        await fetch(`${service.baseUrl}/v1/accounts/${randomUUID()}`, { headers: { authorization: `Bearer ${await service.token(member.userId)}` } });
        await fetch(`${service.baseUrl}/no/such/${randomUUID()}`);
      }
      return (await scrape()).filter((s) => s.name.startsWith("ca_"));
    };
    const few = await round(4);
    const many = await round(40);
    expect(new Set(many.map(seriesKey))).toEqual(new Set(few.map(seriesKey)));

    const apps = new Set(service.services.apps.slugs);
    const operations = new Set(committedOperationNames());
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
    for (const sample of many) {
      for (const [label, value] of Object.entries(sample.labels)) {
        expect({ series: seriesKey(sample), value, id: uuid.test(value) }).toEqual({ series: seriesKey(sample), value, id: false });
        expect(typed.has(value)).toBe(false);
        if (label === "app") expect(apps.has(value) || value === "other").toBe(true);
        if (label === "operation") expect(operations.has(value) || value === "other").toBe(true);
        if (label === "route") expect(value).not.toMatch(/\/no\/such/);
      }
    }
    const text = (await scrape()).map(seriesKey).join("\n");
    for (const secret of [METRICS_TOKEN, CLIENT_SECRET]) expect(text).not.toContain(secret);
    // Bounded however much more of the same work is done: a few hundred series, not per user.
    expect(new Set(many.map(seriesKey)).size).toBeLessThan(2000);
  });
});
