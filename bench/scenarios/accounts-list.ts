/**
 * Accounts list (issue #8): the query a frontend sends for its accounts page (each account with
 * its owner, grants and their members, the viewer's capability flags, and the steps and workflows
 * that use it), over workspaces of 10, 100 and 1000 accounts, viewed by a workspace ADMIN who owns
 * few of them. Lists are walked in pages of the largest size (100), as a frontend would, so the
 * default depth and cost limits apply unchanged; SQL statements are counted per page.
 *
 * Baseline in the same run: a hand-written graphql-js server with set-based SQL over the same
 * tables (bench/baselines/accounts-list-server.ts), in its own child process with its own MariaDB
 * user. Both answers are checked equal (same JSON) before anything is measured.
 *
 * A second row sends `_entities` for 100 Account representations, as a router would, and compares
 * it with the list of the same 100 accounts from the service itself.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { benchDatabase, benchUser, cpuOf, fmt, gql, load, median, minus, ROOT, startService, statementCounts, type BenchOptions, type LoadStats, type Row, type ScenarioReport } from "../lib";
import { openBenchData, seedAccounts, seedWorkflows } from "../seed";

const CONCURRENCY = 4;
const PAGE = 100;

const ACCOUNT_FIELDS = `
  id nickname appSlug isLegacy createdAt shared sharedWithViewer
  health { status expiresAt }
  owner { id userId displayName }
  grants { id wholeWorkspace member { id userId displayName } }
  viewerCan { view use modifySteps testSteps manageAccess reconnect rename delete readCredentials }
  steps { id name kind workflow { id name } }
`;
const LIST_QUERY = `query AccountsPage($workspaceId: ID!, $page: PageInput) {
  accounts(workspaceId: $workspaceId, page: $page) { nodes { ${ACCOUNT_FIELDS} } pageInfo { endCursor hasNextPage } }
}`;
const ENTITIES_QUERY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Account { ${ACCOUNT_FIELDS} } } }`;

interface Page {
  nodes: Array<{ id: string }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

export async function accountsList(options: BenchOptions): Promise<ScenarioReport> {
  // BENCH_LIST_SIZES=10,100 measures only those sizes (e.g. to profile one of them).
  const sizes = options.smoke ? [10, 50] : (process.env.BENCH_LIST_SIZES?.split(",").map(Number) ?? [10, 100, 1000]);
  // Operations per round and size: about the same number of accounts listed at every size.
  const budget = options.smoke ? 100 : Number(process.env.BENCH_LIST_ACCOUNTS ?? 20000);
  const db = await benchDatabase("ca_bench_list");
  const service = await startService(options, { DATABASE_URL: db.url });
  const baselineDb = await benchUser("ca_bench_list", "ca_bench_list_base");
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });
  let baseline: ReturnType<typeof spawn> | undefined;
  try {
    // Workspaces of each size, with an ADMIN (the viewer) and four MEMBERs besides the OWNER.
    const ownerToken = await service.token("bench-owner");
    const viewerToken = await service.token("bench-admin");
    const data = await openBenchData(db.url, service.keyRing);
    const workspaces: Array<{ size: number; id: string; accountIds: string[] }> = [];
    for (const size of sizes) {
      const { createWorkspace } = await gql<{ createWorkspace: { id: string } }>(service.url, ownerToken, `mutation { createWorkspace(input: { name: "Bench ${size}" }) { id } }`);
      const ws = createWorkspace.id;
      const add = `mutation ($ws: ID!, $user: String!, $role: WorkspaceRole!) { addMember(input: { workspaceId: $ws, userId: $user, role: $role, displayName: $user }) { id } }`;
      await gql(service.url, ownerToken, add, { ws, user: "bench-admin", role: "ADMIN" });
      for (let m = 0; m < 4; m++) await gql(service.url, ownerToken, add, { ws, user: `bench-member-${m}`, role: "MEMBER" });
      const { workspace } = await gql<{ workspace: { members: Array<{ id: string; userId: string }> } }>(service.url, ownerToken, `query ($ws: ID!) { workspace(id: $ws) { members { id userId } } }`, { ws });
      const byUser = new Map(workspace.members.map((m) => [m.userId, m.id]));
      const admin = byUser.get("bench-admin")!;
      const others = [byUser.get("bench-owner")!, ...[0, 1, 2, 3].map((m) => byUser.get(`bench-member-${m}`)!)];
      // Most accounts belong to others; every 10th to the viewer, every 17th is legacy (no owner).
      // A third are shared with the workspace, a third with one or two members, a third private.
      const ownerOf = (i: number) => (i % 17 === 0 ? null : i % 10 === 0 ? admin : others[i % others.length]!);
      const accountIds = await seedAccounts(data, {
        workspaceId: ws,
        ownerMemberId: null,
        count: size,
        appSlug: "github",
        credentials: (i) => ({ oauth_access_token: `gho_bench_${i}`, oauth_refresh_token: `ghr_bench_${i}` }),
        fields: (i) => ({ ownerMemberId: ownerOf(i), externalId: i % 2 === 0 ? `bench-gh-${i}` : null, scopes: '["repo"]' }),
        grants: (i) => {
          const owner = ownerOf(i);
          const grantees = i % 3 === 0 ? ["workspace"] : i % 3 === 1 ? [others[(i + 1) % others.length]!, ...(i % 2 === 0 ? [admin] : [])] : [];
          return grantees.filter((g) => g !== owner);
        },
      });
      // Workflows of three or four steps spread evenly over the accounts (so every page has some):
      // two or three use accounts (four in five accounts are used, some twice), one uses none.
      await seedWorkflows(data, {
        workspaceId: ws,
        createdByMemberId: admin,
        count: Math.ceil(size * 0.4),
        steps: (w) => {
          const i = Math.floor(w * 2.5) % size;
          return [accountIds[i]!, accountIds[(i + 1) % size]!, null, ...(w % 2 === 0 ? [accountIds[(i + 13) % size]!] : [])];
        },
      });
      workspaces.push({ size, id: ws, accountIds });
    }
    await data.close();

    const profile = options.profileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=baseline-accounts-list-${process.pid}.cpuprofile`] : [];
    baseline = spawn(process.execPath, [...profile, path.join(ROOT, "dist/bench/baselines/accounts-list-server.js")], {
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: baselineDb.url, DEV_KEY_PATH: service.devKeyPath, AUTH_ISSUER: service.issuer },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const baselinePid = baseline.pid!;
    const baselinePort = await new Promise<number>((resolve, reject) => {
      baseline!.stdout!.once("data", (c: Buffer) => resolve(Number(c.toString().trim())));
      baseline!.once("exit", (code) => reject(new Error(`baseline exited ${code}`)));
    });
    const baselineUrl = `http://127.0.0.1:${baselinePort}/graphql`;

    const post = (url: string, body: string) =>
      new Promise<string>((resolve, reject) => {
        const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", authorization: `Bearer ${viewerToken}` } }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`${res.statusCode} ${text.slice(0, 500)}`))));
        });
        req.on("error", reject);
        req.end(body);
      });
    const ask = async <T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> => {
      const body = JSON.parse(await post(url, JSON.stringify({ query, variables }))) as { data?: T; errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 1000));
      return body.data!;
    };
    // One operation: the whole list, page after page.
    const walk = async (url: string, workspaceId: string) => {
      const nodes: unknown[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { accounts }: { accounts: Page } = await ask<{ accounts: Page }>(url, LIST_QUERY, { workspaceId, page: after ? { first: PAGE, after } : { first: PAGE } });
        pages += 1;
        nodes.push(...accounts.nodes);
        if (!accounts.pageInfo.hasNextPage) return { nodes, pages };
        after = accounts.pageInfo.endCursor;
      }
    };

    // The two answers must be the same before their costs are compared.
    for (const ws of workspaces) {
      const [ours, theirs] = [await walk(service.url, ws.id), await walk(baselineUrl, ws.id)];
      if (ours.nodes.length !== ws.size) throw new Error(`the service listed ${ours.nodes.length} of ${ws.size} accounts`);
      if (JSON.stringify(ours.nodes) !== JSON.stringify(theirs.nodes)) {
        throw new Error(`service and baseline answers differ for ${ws.size} accounts:\n${JSON.stringify(ours.nodes[0])}\n${JSON.stringify(theirs.nodes[0])}`);
      }
    }
    const entitiesOf = workspaces.find((w) => w.size === Math.min(PAGE, sizes[sizes.length - 1]!)) ?? workspaces[workspaces.length - 1]!;
    const listOfSame = async () => (await ask<{ accounts: Page }>(service.url, LIST_QUERY, { workspaceId: entitiesOf.id, page: { first: PAGE } })).accounts.nodes;
    const representations = (await listOfSame()).map((n) => ({ __typename: "Account", id: n.id }));
    const entities = async () => (await ask<{ _entities: unknown[] }>(service.url, ENTITIES_QUERY, { r: representations }))._entities;
    if (JSON.stringify(await entities()) !== JSON.stringify(await listOfSame())) throw new Error("_entities and the list of the same accounts answer differently");

    interface Path {
      key: string;
      pid: number;
      user: string;
      run: () => Promise<number>;
    }
    const cases = workspaces.map((ws) => ({
      ws,
      operations: Math.max(5, Math.round(budget / ws.size)),
      service: { key: `service ${ws.size}`, pid: service.pid, user: db.user, run: async () => (await walk(service.url, ws.id)).pages } as Path,
      baseline: { key: `baseline ${ws.size}`, pid: baselinePid, user: baselineDb.user, run: async () => (await walk(baselineUrl, ws.id)).pages } as Path,
    }));
    const entityOps = Math.max(5, Math.round(budget / entitiesOf.size));
    // BENCH_LIST_ENTITIES=0 leaves the _entities row out (to profile the list alone).
    const withEntities = process.env.BENCH_LIST_ENTITIES !== "0";
    const entityPaths: Path[] = withEntities ? [
      { key: "_entities", pid: service.pid, user: db.user, run: async () => ((await entities()).length === representations.length ? 1 : 0) },
      { key: "list of the same", pid: service.pid, user: db.user, run: async () => ((await listOfSame()).length === representations.length ? 1 : 0) },
    ] : [];

    // Warm-up: JIT, pools, caches.
    for (const c of cases) for (const p of [c.service, c.baseline]) await load(Math.min(c.operations, 20), CONCURRENCY, async () => void (await p.run()));
    for (const p of entityPaths) await load(Math.min(entityOps, 20), CONCURRENCY, async () => void (await p.run()));

    const figures = new Map<string, { cpu: number[]; stats: LoadStats[]; selectsPerRequest: number[] }>();
    const measure = async (p: Path, operations: number) => {
      let requests = 0;
      const before = await statementCounts(p.user);
      const c0 = cpuOf(p.pid);
      const stats = await load(operations, CONCURRENCY, async () => {
        const pages = await p.run(); // not `requests += await …`: that reads `requests` before the await
        requests += pages;
      });
      const cpu = cpuOf(p.pid) - c0;
      const counts = minus(await statementCounts(p.user), before);
      const f = figures.get(p.key) ?? { cpu: [], stats: [], selectsPerRequest: [] };
      f.cpu.push((cpu / operations) * 1e6);
      f.stats.push(stats);
      f.selectsPerRequest.push(counts.select / requests);
      figures.set(p.key, f);
      return cpu / operations;
    };
    const ratios = new Map<string, number[]>();
    const pushRatio = (key: string, ratio: number) => ratios.set(key, [...(ratios.get(key) ?? []), ratio]);
    for (let round = 0; round < options.rounds; round++) {
      for (const c of cases) {
        // Alternate who goes first, so drift in the machine's load favours neither.
        const order = round % 2 === 0 ? [c.service, c.baseline] : [c.baseline, c.service];
        const [first, second] = [await measure(order[0]!, c.operations), await measure(order[1]!, c.operations)];
        pushRatio(c.service.key, round % 2 === 0 ? first / second : second / first);
      }
      if (!withEntities) continue;
      const order = round % 2 === 0 ? entityPaths : [...entityPaths].reverse();
      const [first, second] = [await measure(order[0]!, entityOps), await measure(order[1]!, entityOps)];
      pushRatio("_entities", round % 2 === 0 ? first / second : second / first);
    }

    const cpuOfKey = (key: string) => median(figures.get(key)!.cpu);
    const selects = (key: string) => median(figures.get(key)!.selectsPerRequest);
    const detail = (key: string, unit: string) => {
      const f = figures.get(key)!;
      return `${fmt(median(f.stats.map((s) => s.perSecond)), 1)} ${unit}/s, p50 ${median(f.stats.map((s) => s.p50)).toFixed(1)} ms, p99 ${median(f.stats.map((s) => s.p99)).toFixed(1)} ms`;
    };
    const perPage = cases.map((c) => selects(c.service.key));
    const constant = perPage.every((s) => Math.abs(s - perPage[0]!) < 0.01);
    const rows: Row[] = cases.map((c) => {
      const ratio = median(ratios.get(c.service.key)!);
      const pages = Math.ceil(c.ws.size / PAGE);
      return {
        scenario: "accounts list (owner, grants, capabilities, steps/workflows)",
        case: `${fmt(c.ws.size)} accounts${pages > 1 ? ` (${pages} pages of ${PAGE})` : ""}`,
        service: `${fmt(cpuOfKey(c.service.key))} µs CPU`,
        baseline: `${fmt(cpuOfKey(c.baseline.key))} µs CPU (hand-written graphql-js, set-based SQL)`,
        ratio,
        goal: "≤ 1.5× baseline; SELECTs per page the same at every size",
        met: ratio <= 1.5 && constant,
        detail:
          `service ${detail(c.service.key, "lists")}; baseline ${detail(c.baseline.key, "lists")}; ` +
          `SELECTs per page: service ${selects(c.service.key).toFixed(2)}, baseline ${selects(c.baseline.key).toFixed(2)}`,
      };
    });
    if (!withEntities) return { rows, notes: [] };
    const entityRatio = median(ratios.get("_entities")!);
    const entitySelects = selects("_entities");
    const listSelects = selects("list of the same");
    rows.push({
      scenario: "_entities (router)",
      case: `${representations.length} Account representations`,
      service: `${fmt(cpuOfKey("_entities"))} µs CPU; ${entitySelects.toFixed(2)} SELECTs`,
      baseline: `${fmt(cpuOfKey("list of the same"))} µs CPU; ${listSelects.toFixed(2)} SELECTs (the list of the same ${representations.length})`,
      ratio: entityRatio,
      goal: "the same number of SQL statements as the list",
      met: Math.abs(entitySelects - listSelects) < 0.01,
      detail: `_entities ${detail("_entities", "req")}; list ${detail("list of the same", "req")}`,
    });
    return {
      rows,
      notes: [
        `Accounts list: per round and size, as many full walks as make ~${fmt(budget)} accounts (at least 5), ${CONCURRENCY} concurrent keep-alive clients; ` +
          `a walk reads pages of ${PAGE} (the largest page) with the default depth and cost limits; CPU per walk from /proc of each server process; ` +
          `SQL statements counted by MariaDB per database user (the service and the baseline each have their own). The viewer is a workspace ADMIN; ` +
          `accounts have 0–2 grants, ~80% are used by workflow steps. Both answers were checked identical before measuring.`,
      ],
    };
  } finally {
    agent.destroy();
    if (baseline && baseline.exitCode === null) {
      const exited = new Promise((resolve) => baseline!.once("exit", resolve));
      baseline.kill();
      await exited;
    }
    await service.stop();
  }
}
