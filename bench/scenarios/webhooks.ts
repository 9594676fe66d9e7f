/**
 * Webhook delivery (issue #18): how fast one endpoint receives a backlog of events from the
 * service (read from the log, signed, POSTed one at a time in order, the delivery recorded and the
 * cursor moved after each), against the floor in the same run: a loop in this process that signs
 * the same payloads with the same HMAC and POSTs them one at a time over a kept-alive connection to
 * the same receiver, recording nothing. Both send in order, one message in flight, as the
 * per-endpoint ordering requires.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { LocalEventBus } from "../../src/events/event-bus";
import { EventLog } from "../../src/events/event-log";
import { EVENT_KINDS } from "../../src/events/event.entity";
import { inTransaction } from "../../src/db/transactions";
import { signedHeaders } from "../../src/modules/webhooks/webhook-signature";
import { benchDatabase, cpuOf, fmt, gql, median, startService, type BenchOptions, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts } from "../seed";

export async function webhooks(options: BenchOptions): Promise<ScenarioReport> {
  const count = options.smoke ? 200 : Number(process.env.BENCH_WEBHOOK_EVENTS ?? 3000);
  const db = await benchDatabase("ca_bench_webhooks");
  // Loopback receivers are allowed outside production only: this service runs in development mode.
  const service = await startService(options, { DATABASE_URL: db.url, NODE_ENV: "development", WEBHOOK_POLL_MS: "200", WEBHOOK_ALLOW_PRIVATE: "true" });
  let received = 0;
  let waiting: (() => void) | null = null;
  let target = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(204).end();
      if (++received >= target && waiting) waiting();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const data = await openBenchData(db.url, service.keyRing);
  try {
    const owner = await service.token("bench-owner");
    const { createWorkspace } = await gql<{ createWorkspace: { id: string } }>(service.url, owner, `mutation { createWorkspace(input: { name: "Bench webhooks" }) { id } }`);
    const workspaceId = createWorkspace.id;
    const { workspace } = await gql<{ workspace: { members: Array<{ id: string }> } }>(service.url, owner, `query ($ws: ID!) { workspace(id: $ws) { members { id } } }`, { ws: workspaceId });
    const [accountId] = await seedAccounts(data, { workspaceId, ownerMemberId: workspace.members[0]!.id, count: 1, appSlug: "sendgrid", credentials: () => ({ api_key: "SG.bench" }) });
    const events = new EventLog(data.dataSource, new LocalEventBus(), 0);
    const append = async (n: number) => {
      for (let done = 0; done < n; done += 100) {
        const batch = Array.from({ length: Math.min(100, n - done) }, (_, i) => ({ kind: EVENT_KINDS[(done + i) % EVENT_KINDS.length]!, accountId: accountId!, details: { i: done + i } }));
        await inTransaction(data.dataSource, (manager) => events.append(manager, workspaceId, batch));
      }
    };

    const rounds: Array<{ service: number; raw: number; cpu: number }> = [];
    for (let round = 0; round < options.rounds; round++) {
      // The service: a fresh endpoint, a backlog appended while it is disabled, then enabled from its cursor.
      const { createWebhookEndpoint } = await gql<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
        service.url,
        owner,
        `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`,
        { input: { workspaceId, url, enabled: false } },
      );
      await append(count);
      received = 0;
      target = count;
      const done = new Promise<void>((resolve) => (waiting = resolve));
      const c0 = cpuOf(service.pid);
      const t0 = performance.now();
      await gql(service.url, owner, `mutation ($id: ID!) { updateWebhookEndpoint(input: { endpointId: $id, enabled: true }) { enabled } }`, { id: createWebhookEndpoint.endpoint.id });
      await done;
      const serviceSeconds = (performance.now() - t0) / 1000;
      const cpu = cpuOf(service.pid) - c0;
      await gql(service.url, owner, `mutation ($id: ID!) { deleteWebhookEndpoint(endpointId: $id) }`, { id: createWebhookEndpoint.endpoint.id });

      // The floor: the same messages signed and POSTed in order by a loop.
      const rows = await events.after(workspaceId, 0, count);
      received = 0;
      target = Number.POSITIVE_INFINITY;
      const t1 = performance.now();
      for (const row of rows) {
        const body = JSON.stringify({ type: row.kind, timestamp: row.createdAt.toISOString(), data: { id: row.id, kind: row.kind, cursor: row.seq } });
        const headers = signedHeaders([createWebhookEndpoint.secret], `msg_${row.id}`, Math.floor(Date.now() / 1000), body);
        await new Promise<void>((resolve, reject) => {
          const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
            res.resume();
            res.on("end", resolve);
          });
          req.on("error", reject);
          req.end(body);
        });
      }
      rounds.push({ service: count / serviceSeconds, raw: rows.length / ((performance.now() - t1) / 1000), cpu: (cpu / count) * 1e6 });
    }
    const ratio = median(rounds.map((r) => r.service / r.raw));
    return {
      rows: [
        {
          scenario: "webhook delivery, one endpoint, a backlog in order",
          case: `${fmt(count)} events`,
          service: `${fmt(median(rounds.map((r) => r.service)))} deliveries/s, ${fmt(median(rounds.map((r) => r.cpu)))} µs CPU each`,
          baseline: `${fmt(median(rounds.map((r) => r.raw)))} signed POSTs/s (a loop, nothing recorded)`,
          ratio,
          goal: "(throughput ratio; shown)",
          met: null,
          detail: "each delivery: read from the log in pages of 50, sign, POST, record the delivery, move the cursor under the lease",
        },
      ],
      notes: [
        `Webhooks: ${fmt(count)} events per round × ${options.rounds} rounds, one endpoint on a loopback receiver answering 204; the service in development mode (loopback receivers are refused in production), MariaDB; the ratio is the service's deliveries per second over the loop's.`,
      ],
    };
  } finally {
    agent.destroy();
    await data.close();
    await service.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}
