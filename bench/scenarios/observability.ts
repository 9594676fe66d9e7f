/**
 * What observability costs (issue #17): the token fetch (REST and GraphQL) and an accounts page,
 * each on three instances of the service over the same database, in the same run and alternating
 * rounds: plain (metrics and tracing off), metrics on (METRICS_TOKEN; counters and histograms
 * recorded on every request), and metrics plus tracing (an OTLP/HTTP exporter sending every span to
 * a sink in this process that drops it: the serialization and sending are paid, nothing is kept).
 * The figure is the service's CPU per operation; the ratio is against the plain instance.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { KeyRing } from "../../src/crypto/key-ring";
import { benchDatabase, cpuOf, fmt, keepAliveRequester, load, median, startService, type BenchOptions, type BenchService, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts, seedTokenFetchWorld } from "../seed";

const CONCURRENCY = 8;
const METRICS_TOKEN = "bench-metrics-token-0123456789";
const LIST_QUERY = `query AccountsPage($workspaceId: ID!) {
  accounts(workspaceId: $workspaceId, page: { first: 50 }) {
    nodes { id nickname appSlug health { status } owner { userId } grants { wholeWorkspace member { userId } } viewerCan { use readCredentials manageAccess } }
    pageInfo { endCursor hasNextPage }
  }
}`;

export async function observability(options: BenchOptions): Promise<ScenarioReport> {
  const requests = options.smoke ? 100 : Number(process.env.BENCH_OBSERVABILITY_REQUESTS ?? 6000);
  const db = await benchDatabase("ca_bench_obs");
  const keyRing = KeyRing.generateSpec("bench");
  // The collector that drops: reads each export and answers 200.
  let exports = 0;
  const sink = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", () => resolve()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const services: Array<{ name: string; service: BenchService }> = [];
  try {
    const common = { DATABASE_URL: db.url, ENCRYPTION_KEYS: keyRing };
    services.push({ name: "plain", service: await startService(options, common) });
    services.push({ name: "metrics on", service: await startService(options, { ...common, METRICS_TOKEN }) });
    services.push({ name: "metrics + tracing", service: await startService(options, { ...common, METRICS_TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_BSP_SCHEDULE_DELAY: "1000" }) });
    const setup = services[0]!.service;

    const { workspaceId, ownerMemberId, accountId } = await seedTokenFetchWorld(setup, db.url, keyRing);
    const data = await openBenchData(db.url, keyRing);
    await seedAccounts(data, { workspaceId, ownerMemberId, count: 49, appSlug: "sendgrid", credentials: (i) => ({ api_key: `SG.bench${i}` }), grants: (i) => (i % 3 === 0 ? ["workspace"] : []) });
    await data.close();
    const request = keepAliveRequester(agent, (body) => !body.includes('"errors"'));
    const graphqlBody = JSON.stringify({ query: `mutation ReadAccountCredentials($id: ID!) { readAccountCredentials(accountId: $id) { fields { name value } expiresAt } }`, variables: { id: accountId } });
    const listBody = JSON.stringify({ query: LIST_QUERY, variables: { workspaceId } });
    const cases = [
      {
        name: "token fetch, REST",
        run: (s: BenchService, token: string) => () => request(`${s.origin}/v1/accounts/${accountId}?include_credentials=1`, { method: "GET", headers: { authorization: `Bearer ${token}` } }).then(() => undefined),
        user: "bench-member",
      },
      {
        name: "token fetch, GraphQL",
        run: (s: BenchService, token: string) => () => request(s.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: graphqlBody }).then(() => undefined),
        user: "bench-member",
      },
      {
        name: "accounts page (50)",
        run: (s: BenchService, token: string) => () => request(s.url, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: listBody }).then(() => undefined),
        user: "bench-owner",
      },
    ];
    const figures = new Map<string, { cpu: number[]; ratio: number[]; perSecond: number[] }>();
    for (const c of cases) {
      const runs = await Promise.all(services.map(async ({ name, service }) => ({ name, pid: service.pid, run: c.run(service, await service.token(c.user)) })));
      for (const r of runs) await load(Math.min(1000, requests), CONCURRENCY, r.run);
      for (let round = 0; round < options.rounds; round++) {
        // Each round starts with another instance, so that none always runs first (or last).
        const order = runs.map((_, i) => runs[(i + round) % runs.length]!);
        const cpuOfRound = new Map<string, number>();
        for (const r of order) {
          const p0 = cpuOf(r.pid);
          const stats = await load(requests, CONCURRENCY, r.run);
          cpuOfRound.set(r.name, cpuOf(r.pid) - p0);
          const f = figures.get(`${c.name}|${r.name}`) ?? { cpu: [], ratio: [], perSecond: [] };
          f.perSecond.push(stats.perSecond);
          figures.set(`${c.name}|${r.name}`, f);
        }
        const plainCpu = cpuOfRound.get("plain")!;
        for (const r of runs) {
          const cpu = cpuOfRound.get(r.name)!;
          const f = figures.get(`${c.name}|${r.name}`)!;
          f.cpu.push((cpu / requests) * 1e6);
          f.ratio.push(cpu / plainCpu);
        }
      }
    }

    const rows: Row[] = [];
    for (const c of cases) {
      const plain = figures.get(`${c.name}|plain`)!;
      for (const variant of ["metrics on", "metrics + tracing"]) {
        const f = figures.get(`${c.name}|${variant}`)!;
        const ratio = median(f.ratio);
        const metricsOnly = variant === "metrics on";
        rows.push({
          scenario: "observability cost",
          case: `${c.name}, ${variant}`,
          service: `${fmt(median(f.cpu))} µs CPU`,
          baseline: `${fmt(median(plain.cpu))} µs CPU (off)`,
          ratio,
          goal: metricsOnly ? "≤ 1.10× off" : "(shown: every span exported)",
          met: metricsOnly ? ratio <= 1.1 : null,
          detail: `${fmt(median(f.perSecond))} req/s (off: ${fmt(median(plain.perSecond))} req/s)`,
        });
      }
    }
    return {
      rows,
      notes: [
        `Observability cost: ${fmt(requests)} operations × ${options.rounds} rounds per case and instance, ${CONCURRENCY} concurrent keep-alive clients; three instances on one MariaDB database (off, METRICS_TOKEN, METRICS_TOKEN + OTLP to a dropping sink, which received ${fmt(exports)} exports); service CPU from /proc, ratio per round against the instance with both off.`,
      ],
    };
  } finally {
    agent.destroy();
    for (const { service } of services) await service.stop();
    await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}
