/**
 * Signed webhooks (docs/api/webhooks.md): endpoints managed by OWNER/ADMIN only, every event kind
 * delivered from the durable log once and in order, signed to the Standard Webhooks specification
 * (verified here by the `standardwebhooks` package), retried with backoff through 5xx, timeouts and
 * Retry-After, disabled on 410, redelivered with the same webhook-id, rotated secrets, refused
 * private targets, and several instances sharing one receiver without duplicates.
 */
import { Webhook } from "standardwebhooks";
import { loadConfig } from "../src/config";
import { KeyRing } from "../src/crypto/key-ring";
import { inTransaction } from "../src/db/transactions";
import type { NewEvent } from "../src/events/event-log";
import { EVENT_KINDS } from "../src/events/event.entity";
import { AuditEventEntity } from "../src/modules/audit/audit-event.entity";
import { WebhookEndpointEntity } from "../src/modules/webhooks/webhook.entity";
import { checkWebhookUrl, isPublicAddress, sendWebhook } from "../src/modules/webhooks/webhook-target";
import { buildAccount, buildTeam, sendgridKey } from "./support/factories";
import { codesOf, dataOf } from "./support/graphql-client";
import { startServiceProcess } from "./support/service-process";
import { startTestService, type TestService } from "./support/test-service";
import { WebhookReceiver } from "./support/webhook-receiver";

jest.setTimeout(60_000);

const FAST = {
  WEBHOOK_POLL_MS: "100",
  WEBHOOK_TIMEOUT_MS: "800",
  WEBHOOK_LEASE_MS: "2500",
  WEBHOOK_RETRY_BASE_MS: "150",
  WEBHOOK_RETRY_MAX_MS: "600",
  WEBHOOK_RETRY_WINDOW_MS: "4000",
};

let service: TestService;
let receiver: WebhookReceiver;

beforeAll(async () => {
  service = await startTestService(FAST);
});
afterAll(async () => {
  await service?.close();
});
beforeEach(async () => {
  receiver = await new WebhookReceiver().start();
});
afterEach(async () => {
  await receiver.stop();
});

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url enabled cursor kinds accountIds } } }`;
const ENDPOINT = `query ($id: ID!) { webhookEndpoint(id: $id) { id enabled disabledReason cursor failingSince deliveries(first: 50) { kind cursor messageId status attempts responseStatus error latencyMs } } }`;

interface Created {
  secret: string;
  endpoint: { id: string; cursor: number };
}

async function createEndpoint(s: TestService, userId: string, input: Record<string, unknown>): Promise<Created> {
  const created = dataOf(await s.call<{ createWebhookEndpoint: Created }>(userId, CREATE, { input })).createWebhookEndpoint;
  receiver.secrets.push(created.secret);
  return created;
}

async function raise(s: TestService, workspaceId: string, events: NewEvent[]): Promise<void> {
  await inTransaction(s.dataSource, (manager) => s.services.events.append(manager, workspaceId, events));
}

const everyKind = (accountId: string): NewEvent[] => EVENT_KINDS.map((kind, i) => ({ kind, accountId, details: { i } }));

describe("endpoints", () => {
  it("are managed by OWNER/ADMIN: the secret is shown once, members and outsiders see nothing", async () => {
    const team = await buildTeam(service);
    const created = await createEndpoint(service, team.admin.userId, { workspaceId: team.workspace.id, url: receiver.url, description: "On-call" });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await service.call(team.owner.userId, `query ($ws: ID!) { webhookEndpoints(workspaceId: $ws) { id url } }`, { ws: team.workspace.id });
    expect(JSON.stringify(dataOf(listed))).toContain(created.endpoint.id);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(codesOf(await service.call(team.member.userId, `query ($ws: ID!) { webhookEndpoints(workspaceId: $ws) { id } }`, { ws: team.workspace.id }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.member.userId, ENDPOINT, { id: created.endpoint.id }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await service.call(team.outsider.userId, ENDPOINT, { id: created.endpoint.id }))).toEqual(["NOT_FOUND"]);
    expect(codesOf(await service.call(team.member.userId, CREATE, { input: { workspaceId: team.workspace.id, url: receiver.url } }))).toEqual(["FORBIDDEN"]);
    expect(codesOf(await service.call(team.member.userId, `mutation ($id: ID!) { deleteWebhookEndpoint(endpointId: $id) }`, { id: created.endpoint.id }))).toEqual(["NOT_FOUND"]);
    const audit = await service.dataSource.getRepository(AuditEventEntity).findBy({ workspaceId: team.workspace.id, action: "WEBHOOK_ENDPOINT_CREATED" });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).not.toContain(created.secret);
  });

  it("refuses bad input with BAD_USER_INPUT and creates nothing", async () => {
    const team = await buildTeam(service);
    for (const input of [
      { url: "ftp://hooks.example.com/x" },
      { url: "not a url" },
      { url: "https://user:pass@hooks.example.com/x" },
      { url: "https://hooks.example.com/x#frag" },
      { url: receiver.url, kinds: ["ACCOUNT_EXPLODED"] },
      { url: receiver.url, kinds: [] },
      { url: receiver.url, accountIds: ["not-an-id"] },
    ]) {
      expect(codesOf(await service.call(team.owner.userId, CREATE, { input: { workspaceId: team.workspace.id, ...input } }))).toEqual(["BAD_USER_INPUT"]);
    }
    expect(await service.dataSource.getRepository(WebhookEndpointEntity).countBy({ workspaceId: team.workspace.id })).toBe(0);
  });
});

describe("delivery", () => {
  it("delivers every kind once, in log order, signed, with the event as the subscription has it and nothing secret", async () => {
    const team = await buildTeam(service);
    const key = sendgridKey();
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner, credentials: { api_key: key } });
    await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    await raise(service, team.workspace.id, everyKind(account.id));
    // And one through the API: sharing the account.
    dataOf(await service.call(team.owner.userId, `mutation ($id: ID!) { shareAccount(input: { accountId: $id, workspace: true }) { id } }`, { id: account.id }));
    await receiver.waitFor((r) => r.messages.length >= EVENT_KINDS.length + 1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const payloads = receiver.verified();
    expect(receiver.messages).toHaveLength(EVENT_KINDS.length + 1);
    expect(payloads).toHaveLength(receiver.messages.length);
    expect(payloads.map((p) => p.type)).toEqual([...EVENT_KINDS, "ACCOUNT_ACCESS_CHANGED"]);
    const cursors = payloads.map((p) => p.data.cursor as number);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(receiver.messages.map((m) => m.id)).size).toBe(receiver.messages.length);
    expect(payloads[0]!.data).toMatchObject({ kind: EVENT_KINDS[0], accountId: account.id, workspaceId: team.workspace.id, details: { i: 0 } });
    expect(Object.keys(payloads[0]!.data).sort()).toEqual(["accountId", "cursor", "details", "id", "kind", "occurredAt", "workspaceId"]);
    for (const m of receiver.messages) expect(m.body).not.toContain(key.slice(3, 20));
    for (const m of receiver.messages) expect(Math.abs(m.timestamp - Date.now() / 1000)).toBeLessThan(60);
  });

  it("sends only the kinds and accounts an endpoint asked for, and passes over the rest", async () => {
    const team = await buildTeam(service);
    const a = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const b = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url, kinds: ["ACCOUNT_RECONNECT_REQUIRED", "ACCOUNT_AUTH_FAILED"], accountIds: [a.id] });
    await raise(service, team.workspace.id, [...everyKind(b.id), ...everyKind(a.id)]);
    await receiver.waitFor((r) => r.messages.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.verified().map((p) => [p.type, p.data.accountId])).toEqual([
      ["ACCOUNT_RECONNECT_REQUIRED", a.id],
      ["ACCOUNT_AUTH_FAILED", a.id],
    ]);
  });

  it("retries a receiver that is down (5xx, then no answer in time) and delivers everything in order once it is back, with the same webhook-id", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const { endpoint } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    let calls = 0;
    receiver.answer = () => {
      calls++;
      if (calls <= 2) return { status: 503, body: "down for maintenance" };
      if (calls === 3) return { status: 200, delayMs: 1500 }; // past the 800 ms deadline
      return { status: 204 };
    };
    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 3));
    await receiver.waitFor((r) => r.verified().length >= 6);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = receiver.messages.map((m) => m.id);
    // The first event four times (503, 503, timeout, 204), then the other two once each.
    expect(ids.slice(0, 4).every((id) => id === ids[0])).toBe(true);
    expect(new Set(ids).size).toBe(3);
    expect(receiver.messages.slice(3).map((m) => m.payload!.type)).toEqual(EVENT_KINDS.slice(0, 3));
    const seen = dataOf(await service.call<{ webhookEndpoint: { deliveries: Array<{ kind: string; status: string; attempts: number; responseStatus: number | null; error: string | null }> ; failingSince: string | null } }>(team.owner.userId, ENDPOINT, { id: endpoint.id })).webhookEndpoint;
    expect(seen.failingSince).toBeNull();
    const first = seen.deliveries.find((d) => d.kind === EVENT_KINDS[0])!;
    expect(first).toMatchObject({ status: "SUCCEEDED", attempts: 4, responseStatus: 204 });
  });

  it("waits as long as Retry-After says", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    let calls = 0;
    receiver.answer = () => (++calls === 1 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 });
    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 1));
    await receiver.waitFor((r) => r.messages.length >= 2);
    expect(receiver.messages[1]!.at - receiver.messages[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it("disables an endpoint that answers 410 Gone (audited); enabling it goes on from its cursor, or from now", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const { endpoint } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    receiver.answer = () => ({ status: 410 });
    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 2));
    await receiver.waitFor((r) => r.messages.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.messages).toHaveLength(1);
    const disabled = dataOf(await service.call<{ webhookEndpoint: { enabled: boolean; disabledReason: string } }>(team.owner.userId, ENDPOINT, { id: endpoint.id })).webhookEndpoint;
    expect(disabled).toMatchObject({ enabled: false, disabledReason: "the receiver answered 410 Gone" });
    expect(await service.dataSource.getRepository(AuditEventEntity).countBy({ workspaceId: team.workspace.id, action: "WEBHOOK_ENDPOINT_DISABLED" })).toBe(1);

    receiver.answer = () => ({ status: 200 });
    const enable = `mutation ($id: ID!, $from: WebhookResume) { updateWebhookEndpoint(input: { endpointId: $id, enabled: true, resumeFrom: $from }) { enabled } }`;
    dataOf(await service.call(team.owner.userId, enable, { id: endpoint.id, from: "CURSOR" }));
    await receiver.waitFor((r) => r.messages.length >= 3);
    expect(receiver.messages.slice(1).map((m) => m.payload!.type)).toEqual(EVENT_KINDS.slice(0, 2));
    // Disabled again by an admin, events raised meanwhile, then enabled from now: those are skipped.
    dataOf(await service.call(team.owner.userId, `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, enabled: false }) { enabled } }`, { id: endpoint.id }));
    await raise(service, team.workspace.id, everyKind(account.id).slice(2, 4));
    dataOf(await service.call(team.owner.userId, enable, { id: endpoint.id, from: "NOW" }));
    await raise(service, team.workspace.id, everyKind(account.id).slice(4, 5));
    await receiver.waitFor((r) => r.messages.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.messages.slice(3).map((m) => m.payload!.type)).toEqual([EVENT_KINDS[4]]);
  });

  it("disables an endpoint failing for the whole retry window", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const { endpoint } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    receiver.answer = () => ({ status: 500 });
    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 1));
    const until = Date.now() + 12_000;
    let state: { enabled: boolean; disabledReason: string | null } = { enabled: true, disabledReason: null };
    while (state.enabled && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      state = dataOf(await service.call<{ webhookEndpoint: typeof state }>(team.owner.userId, ENDPOINT, { id: endpoint.id })).webhookEndpoint;
    }
    expect(state).toEqual(expect.objectContaining({ enabled: false, disabledReason: expect.stringMatching(/^failing for/) }));
    expect(receiver.messages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(receiver.messages.map((m) => m.id)).size).toBe(1);
  });

  it("sends a signed ping on test, redelivers from a cursor with the same ids, and signs with both secrets while a rotation's grace lasts", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const { endpoint, secret } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    const ping = dataOf(await service.call<{ testWebhookEndpoint: { kind: string; status: string; responseStatus: number } }>(team.owner.userId, `mutation ($id: ID!) { testWebhookEndpoint(endpointId: $id) { kind status responseStatus } }`, { id: endpoint.id }));
    expect(ping.testWebhookEndpoint).toEqual({ kind: "WEBHOOK_PING", status: "SUCCEEDED", responseStatus: 204 });
    expect(receiver.verified()[0]!.type).toBe("WEBHOOK_PING");

    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 2));
    await receiver.waitFor((r) => r.messages.length >= 3);
    const firstIds = receiver.messages.slice(1).map((m) => m.id);
    dataOf(await service.call(team.owner.userId, `mutation ($id: ID!, $after: Int!) { redeliverWebhooks(endpointId: $id, afterCursor: $after) { cursor } }`, { id: endpoint.id, after: endpoint.cursor }));
    await receiver.waitFor((r) => r.messages.length >= 5);
    expect(receiver.messages.slice(3).map((m) => m.id)).toEqual(firstIds);

    const rotated = dataOf(await service.call<{ rotateWebhookSecret: { secret: string; endpoint: { previousSecretValidUntil: string } } }>(team.owner.userId, `mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id, graceSeconds: 3600) { secret endpoint { previousSecretValidUntil } } }`, { id: endpoint.id })).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.previousSecretValidUntil).not.toBeNull();
    await raise(service, team.workspace.id, everyKind(account.id).slice(2, 3));
    await receiver.waitFor((r) => r.messages.length >= 6);
    const last = receiver.messages[5]!;
    // A receiver still on the old secret and one already on the new both verify it.
    receiver.secrets = [secret];
    expect(() => new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(last.body, last.headers as Record<string, string>)).not.toThrow();
    expect(() => new Webhook("whsec_" + Buffer.alloc(32, 7).toString("base64")).verify(last.body, last.headers as Record<string, string>)).toThrow();
  });

  it("keeps an admin's redelivery that comes while a delivery is in flight (the in-flight pass stops and the next starts from the rewound cursor)", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const { endpoint } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    receiver.answer = () => ({ status: 204, delayMs: 300 });
    await raise(service, team.workspace.id, everyKind(account.id).slice(0, 3));
    await receiver.waitFor((r) => r.messages.length >= 1);
    // The first message is being answered (300 ms): rewind to before all three.
    dataOf(await service.call(team.owner.userId, `mutation ($id: ID!, $after: Int!) { redeliverWebhooks(endpointId: $id, afterCursor: $after) { cursor } }`, { id: endpoint.id, after: endpoint.cursor }));
    await receiver.waitFor((r) => r.messages.length >= 4 && r.messages.slice(-3).map((m) => m.payload!.type).join() === EVENT_KINDS.slice(0, 3).join(), 15_000);
    const first = receiver.messages[0]!.id;
    expect(receiver.messages.filter((m) => m.id === first).length).toBeGreaterThanOrEqual(2);
  });

  it("does not follow redirects", async () => {
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    const elsewhere = await new WebhookReceiver().start();
    try {
      const { endpoint } = await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
      receiver.answer = () => ({ status: 307, headers: { location: elsewhere.url } });
      await raise(service, team.workspace.id, everyKind(account.id).slice(0, 1));
      await receiver.waitFor((r) => r.messages.length >= 2);
      expect(elsewhere.messages).toHaveLength(0);
      const seen = dataOf(await service.call<{ webhookEndpoint: { deliveries: Array<{ status: string; error: string }> } }>(team.owner.userId, ENDPOINT, { id: endpoint.id })).webhookEndpoint;
      expect(seen.deliveries[0]).toMatchObject({ status: "RETRYING", error: "HTTP 307 (redirects are not followed)" });
    } finally {
      await elsewhere.stop();
    }
  });
});

describe("where webhooks may go", () => {
  it("refuses private, loopback, link-local, metadata and reserved addresses, in every spelling", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.0.0.1"]) {
      expect({ address, public: isPublicAddress(address) }).toEqual({ address, public: false });
    }
    for (const address of ["93.184.216.34", "2606:4700::1111", "8.8.8.8"]) expect(isPublicAddress(address)).toBe(true);
    for (const url of ["https://127.0.0.1/x", "https://[::1]/x", "https://169.254.169.254/latest/meta-data", "https://localhost/x", "https://app.localhost/x", "https://intranet/x", "http://hooks.example.com/x", "https://[::ffff:10.0.0.1]/x"]) {
      expect(() => checkWebhookUrl(url, false)).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
    }
    expect(checkWebhookUrl("https://hooks.example.com/in", false)).toBe("https://hooks.example.com/in");
  });

  it("checks the address a name resolves to when it connects, and sends nothing to a private one", async () => {
    const port = new URL(receiver.url).port;
    const result = await sendWebhook(`http://localhost:${port}/hooks`, {}, "{}", 1000, false);
    expect(result).toMatchObject({ status: null, error: "the host resolved to a private, loopback or reserved address" });
    expect(receiver.messages).toHaveLength(0);
  });

  it("refuses WEBHOOK_ALLOW_PRIVATE in production", async () => {
    const production = { NODE_ENV: "production", ENCRYPTION_KEYS: KeyRing.generateSpec("k1"), AUTH_JWKS_URL: "https://id.example.com/jwks", AUTH_ISSUER: "https://id.example.com" };
    expect(loadConfig(production).webhooks.allowPrivate).toBe(false);
    expect(() => loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE: "true" })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(loadConfig({ NODE_ENV: "test" }).webhooks.allowPrivate).toBe(true);
  });
});

describe("several instances", () => {
  it("deliver each event once and in order to one receiver, three instances on one database and Redis", async () => {
    const shared: Record<string, string> = service.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(service.dataSource.options.database) } : {};
    const others = [await startTestService({ ...FAST, ...shared, REDIS_URL: "redis://127.0.0.1:6379" }), await startTestService({ ...FAST, ...shared, REDIS_URL: "redis://127.0.0.1:6379" })];
    try {
      const team = await buildTeam(service);
      const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
      await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
      receiver.answer = () => ({ status: 200, delayMs: 5 });
      for (let round = 0; round < 10; round++) await raise([service, ...others][round % 3]!, team.workspace.id, everyKind(account.id));
      const total = 10 * EVENT_KINDS.length;
      await receiver.waitFor((r) => r.messages.length >= total, 30_000);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(receiver.messages).toHaveLength(total);
      const cursors = receiver.verified().map((p) => p.data.cursor as number);
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(new Set(cursors).size).toBe(total);
    } finally {
      for (const other of others) await other.close();
    }
  });

  it("redeliver, with the same webhook-id, an event whose instance was killed mid-delivery", async () => {
    const shared: Record<string, string> = service.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(service.dataSource.options.database) } : { DATABASE_URL: String((service.dataSource.options as { url: string }).url) };
    const team = await buildTeam(service);
    const account = await buildAccount(service, { workspaceId: team.workspace.id, owner: team.owner });
    // The in-process instance delivers nothing until the other one is gone.
    await service.webhooks.stop();
    await createEndpoint(service, team.owner.userId, { workspaceId: team.workspace.id, url: receiver.url });
    receiver.answer = (m) => (receiver.messages.indexOf(m) === 0 ? "hang" : { status: 204 });
    const doomed = await startServiceProcess({ ...shared, ...FAST, DB_MIGRATE: "false", WEBHOOK_TIMEOUT_MS: "20000", WEBHOOK_LEASE_MS: "25000" });
    let successor: TestService | undefined;
    try {
      await raise(service, team.workspace.id, everyKind(account.id).slice(0, 2));
      await receiver.waitFor((r) => r.messages.length >= 1, 20_000);
      doomed.child.kill("SIGKILL");
      await new Promise((resolve) => doomed.child.once("exit", resolve));
      // Its lease (25 s) must lapse before another instance takes the endpoint: shorten it as an operator waiting would.
      await service.dataSource.getRepository(WebhookEndpointEntity).update({ workspaceId: team.workspace.id }, { leaseUntil: new Date(Date.now() - 1) });
      successor = await startTestService({ ...FAST, ...(service.dataSource.options.type === "better-sqlite3" ? { SQLITE_PATH: String(service.dataSource.options.database) } : {}) });
      await receiver.waitFor((r) => r.messages.length >= 3, 20_000);
      const [lost, again, next] = receiver.messages;
      expect(again!.id).toBe(lost!.id);
      expect(again!.payload!.type).toBe(EVENT_KINDS[0]);
      expect(next!.payload!.type).toBe(EVENT_KINDS[1]);
    } finally {
      if (doomed.child.exitCode === null) doomed.child.kill("SIGKILL");
      await successor?.close();
    }
  });
});
