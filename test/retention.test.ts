/**
 * Retention (docs/operations.md#retention): the purge deletes exactly the step runs, audit
 * entries, webhook deliveries and events past their age, in every workspace, and nothing younger;
 * a setting of 0 keeps that kind forever; a backlog larger than a batch goes in several batches;
 * two passes of one instance never overlap; and an instance purges by itself soon after it starts.
 */
import { In, type EntityTarget, type ObjectLiteral } from "typeorm";
import { loadConfig } from "../src/config";
import { newId } from "../src/db/ids";
import { inTransaction } from "../src/db/transactions";
import { AccountEventEntity } from "../src/events/event.entity";
import { AuditEventEntity } from "../src/modules/audit/audit-event.entity";
import { RetentionPurger } from "../src/modules/lifecycle/retention.service";
import { WebhookDeliveryEntity } from "../src/modules/webhooks/webhook.entity";
import { StepEntity, StepRunEntity, WorkflowEntity } from "../src/modules/workflows/workflow.entity";
import { buildAccount, buildTeam, newStepRow } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { countQueries } from "./support/query-counter";
import { freshSqlitePath, TEST_DB } from "./support/test-database";
import { startTestService, type TestService } from "./support/test-service";

jest.setTimeout(60_000);

const DAY = 24 * 3600 * 1000;
const TABLES = ["step_runs", "audit_events", "webhook_deliveries", "account_events"] as const;
type Table = (typeof TABLES)[number];

const ENTITIES: Record<Table, EntityTarget<ObjectLiteral>> = {
  step_runs: StepRunEntity,
  audit_events: AuditEventEntity,
  webhook_deliveries: WebhookDeliveryEntity,
  account_events: AccountEventEntity,
};

// Each table's default retention in days (config.ts, docs/configuration.md).
const DEFAULT_DAYS: Record<Table, number> = { step_runs: 30, audit_events: 365, webhook_deliveries: 30, account_events: 30 };

// The ages rows are given: milliseconds from the cutoff (now minus the table's retention; before
// it is past the age, at it or after it is not), or `recent` (a minute before now).
const AGES: Record<string, number | "recent"> = {
  muchOlder: -9 * 365 * DAY,
  secondOlder: -1000,
  justOlder: -1,
  atCutoff: 0,
  justYounger: 1000,
  recent: "recent",
};
const isPast = (offset: number | "recent") => offset !== "recent" && offset < 0;

/** One seeded row: its id, its age's name, and whether it is past its age. */
interface Row {
  id: string;
  age: string;
  past: boolean;
}
type Seeded = Record<Table, Row[]>;

const past = (seeded: Seeded, table: Table) => seeded[table].filter((r) => r.past).map((r) => r.id);
const notPast = (seeded: Seeded, table: Table) => seeded[table].filter((r) => !r.past).map((r) => r.id);
const all = (seeded: Seeded, table: Table) => seeded[table].map((r) => r.id);
const sorted = (ids: string[]) => [...ids].sort();

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

/**
 * A real team with an account, a webhook endpoint (made through the API) and a step, then rows of
 * every kind at every age of AGES before `now` (each table by its default retention), plus
 * `extraPast` more rows past their age per table.
 */
async function seed(s: TestService, now: Date, extraPast = 0): Promise<Seeded> {
  const team = await buildTeam(s);
  const workspaceId = team.workspace.id;
  const account = await buildAccount(s, { workspaceId, owner: team.owner });
  const endpoint = dataOf(
    await s.call<{ createWebhookEndpoint: { endpoint: { id: string } } }>(team.admin.userId, `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { endpoint { id } } }`, {
      input: { workspaceId, url: "http://127.0.0.1:9/hooks" },
    }),
  ).createWebhookEndpoint.endpoint;
  const workflow = Object.assign(new WorkflowEntity(), { id: newId(), workspaceId, name: "Flow", builderVersion: "V2", createdByMemberId: team.owner.id, createdAt: now, updatedAt: now });
  await s.dataSource.getRepository(WorkflowEntity).insert(workflow);
  const step = newStepRow({ workflowId: workflow.id, workspaceId, position: 0, accountId: account.id, appSlug: "sendgrid" });
  await s.dataSource.getRepository(StepEntity).insert(step);

  const ages = [...Object.entries(AGES), ...Array.from({ length: extraPast }, (_, i) => [`extra${i}`, -DAY - i] as const)];
  const rowsOf = (table: Table) =>
    ages.map(([age, offset]) => ({
      age,
      past: isPast(offset),
      createdAt: offset === "recent" ? new Date(now.getTime() - 60_000) : new Date(now.getTime() - DEFAULT_DAYS[table] * DAY + offset),
    }));
  const seeded: Seeded = { step_runs: [], audit_events: [], webhook_deliveries: [], account_events: [] };

  for (const { age, past, createdAt } of rowsOf("step_runs")) {
    const run = Object.assign(new StepRunEntity(), { id: newId(), stepId: step.id, workspaceId, testerMemberId: team.owner.id, status: "SUCCESS", inputs: "{}", exports: "{}", logs: "[]", error: null, durationMs: 12, createdAt });
    await s.dataSource.getRepository(StepRunEntity).insert(run);
    seeded.step_runs.push({ id: run.id, age, past });
  }
  for (const { age, past, createdAt } of rowsOf("audit_events")) {
    const entry = Object.assign(new AuditEventEntity(), { id: newId(), workspaceId, actorUserId: team.owner.userId, actorMemberId: team.owner.id, action: "ACCOUNT_RENAMED", accountId: account.id, details: "{}", createdAt });
    await s.dataSource.getRepository(AuditEventEntity).insert(entry);
    seeded.audit_events.push({ id: entry.id, age, past });
  }
  for (const [i, { age, past, createdAt }] of rowsOf("webhook_deliveries").entries()) {
    const delivery = Object.assign(new WebhookDeliveryEntity(), {
      id: newId(),
      endpointId: endpoint.id,
      workspaceId,
      eventId: null,
      seq: i + 1,
      kind: "ACCOUNT_CONNECTED",
      messageId: `msg_${newId()}`,
      status: "SUCCEEDED",
      attempts: 1,
      responseStatus: 204,
      error: null,
      latencyMs: 3,
      responseExcerpt: null,
      nextAttemptAt: null,
      createdAt,
      updatedAt: createdAt,
    });
    await s.dataSource.getRepository(WebhookDeliveryEntity).insert(delivery);
    seeded.webhook_deliveries.push({ id: delivery.id, age, past });
  }
  // Events through the log itself (numbered under the workspace's lock), then aged.
  const eventRows = rowsOf("account_events");
  await inTransaction(s.dataSource, async (manager) => {
    await s.services.events.lockFor(manager, workspaceId);
    await s.services.events.append(manager, workspaceId, eventRows.map((_, i) => ({ kind: "ACCOUNT_ACCESS_CHANGED", accountId: account.id, details: { i } })));
  });
  const events = await s.dataSource.getRepository(AccountEventEntity).find({ where: { workspaceId }, order: { seq: "ASC" } });
  expect(events).toHaveLength(eventRows.length);
  for (const [i, { age, past, createdAt }] of eventRows.entries()) {
    await s.dataSource.getRepository(AccountEventEntity).update({ id: events[i]!.id }, { createdAt });
    seeded.account_events.push({ id: events[i]!.id, age, past });
  }
  return seeded;
}

function merge(...seeds: Seeded[]): Seeded {
  return { step_runs: seeds.flatMap((s) => s.step_runs), audit_events: seeds.flatMap((s) => s.audit_events), webhook_deliveries: seeds.flatMap((s) => s.webhook_deliveries), account_events: seeds.flatMap((s) => s.account_events) };
}

// Which of `ids` are still in the table, sorted.
async function remaining(s: TestService, table: Table, ids: string[]): Promise<string[]> {
  const rows = await s.dataSource.getRepository(ENTITIES[table]).find({ select: { id: true }, where: { id: In(ids) } });
  return sorted(rows.map((row) => row.id as string));
}

// What is left of the seeded rows, table by table (the table named, so a failure says which).
async function leftOf(s: TestService, seeded: Seeded): Promise<Array<{ table: Table; remaining: string[] }>> {
  return Promise.all(TABLES.map(async (table) => ({ table, remaining: await remaining(s, table, all(seeded, table)) })));
}

// A SQLite test database is this service's own: a pass deletes exactly this test's rows. The
// MariaDB one is shared with the suites running beside this one, whose old rows may go too.
function expectDeleted(count: number | undefined, expected: number): void {
  if (TEST_DB === "sqlite") expect(count).toBe(expected);
  else expect(count).toBeGreaterThanOrEqual(expected);
}

// The table a DELETE statement deletes from (undefined for any other statement).
const deletedTable = (sql: string) => /^DELETE FROM\s+["`]?(\w+)["`]?/.exec(sql)?.[1];

// Waits, polling, until `check` holds (or fails after the deadline).
async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the retention purge", () => {
  it("deletes exactly the rows past their age, table by table, in every workspace, and logs one line with the counts", async () => {
    const now = new Date();
    const seeded = merge(await seed(service, now), await seed(service, now));
    expect(past(seeded, "audit_events")).toHaveLength(6);
    expect(notPast(seeded, "audit_events")).toHaveLength(6);

    const deleted = await service.retention.purgeOnce(now);

    expect(await leftOf(service, seeded)).toEqual(TABLES.map((table) => ({ table, remaining: sorted(notPast(seeded, table)) })));
    for (const table of TABLES) expectDeleted(deleted[table], past(seeded, table).length);
    const lines = service.logs.map((line) => JSON.parse(line) as { msg: string; deleted?: Record<string, number> }).filter((line) => line.msg === "retention purge");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.deleted).toEqual(deleted);

    // Nothing of ours is left past its age: the next pass keeps the rest.
    const again = await service.retention.purgeOnce(now);
    expect(await leftOf(service, seeded)).toEqual(TABLES.map((table) => ({ table, remaining: sorted(notPast(seeded, table)) })));
    if (TEST_DB === "sqlite") expect(again).toEqual({ step_runs: 0, audit_events: 0, webhook_deliveries: 0, account_events: 0 });
  });

  it("keeps step runs, audit entries and webhook deliveries forever when their setting is 0", async () => {
    const keeper = await startTestService({ RETENTION_STEP_RUNS_DAYS: "0", RETENTION_AUDIT_DAYS: "0", RETENTION_WEBHOOK_DELIVERIES_DAYS: "0" });
    try {
      const now = new Date();
      const seeded = await seed(keeper, now);

      const deleted = await keeper.retention.purgeOnce(now);

      expect(Object.keys(deleted)).toEqual(["account_events"]);
      expect(await leftOf(keeper, seeded)).toEqual([
        { table: "step_runs", remaining: sorted(all(seeded, "step_runs")) },
        { table: "audit_events", remaining: sorted(all(seeded, "audit_events")) },
        { table: "webhook_deliveries", remaining: sorted(all(seeded, "webhook_deliveries")) },
        // Events keep their own setting (EVENT_RETENTION_DAYS, at least a day).
        { table: "account_events", remaining: sorted(notPast(seeded, "account_events")) },
      ]);

      // The same rows under the default settings: the old ones go (and a shared database is left clean).
      const defaults = new RetentionPurger(keeper.dataSource, loadConfig({}).retention, keeper.logger);
      const purged = await defaults.purgeOnce(now);
      expect(await leftOf(keeper, seeded)).toEqual(TABLES.map((table) => ({ table, remaining: sorted(notPast(seeded, table)) })));
      expectDeleted(purged.step_runs, past(seeded, "step_runs").length);
    } finally {
      await keeper.close();
    }
  });

  it("goes through a backlog larger than a batch in several batches, and one instance's passes never overlap", async () => {
    const batched = await startTestService({ RETENTION_BATCH_SIZE: "4" });
    try {
      const now = new Date();
      const seeded = merge(await seed(batched, now, 5), await seed(batched, now, 5));
      expect(past(seeded, "step_runs")).toHaveLength(16);

      // Two passes asked for at once: the second runs after the first, and finds nothing left.
      const { result, queries } = await countQueries(batched.dataSource, () => Promise.all([batched.retention.purgeOnce(now), batched.retention.purgeOnce(now)]));
      const [first, second] = result;

      expect(await leftOf(batched, seeded)).toEqual(TABLES.map((table) => ({ table, remaining: sorted(notPast(seeded, table)) })));
      for (const table of TABLES) {
        expectDeleted(first[table], past(seeded, table).length);
        expect(second[table]).toBe(0);
      }
      // DELETE … LIMIT 4 until a batch comes back short (16 rows: 4 full batches and an empty
      // one), then the second pass's one empty batch per table; one table after the other, the
      // first pass entirely before the second.
      const deletes = queries.map(deletedTable).filter((table) => table !== undefined);
      const runs = deletes.reduce<Array<{ table: string; count: number }>>((acc, table) => {
        if (acc.at(-1)?.table === table) acc.at(-1)!.count++;
        else acc.push({ table, count: 1 });
        return acc;
      }, []);
      expect(runs).toEqual([...TABLES.map((table) => ({ table, count: Math.floor(first[table]! / 4) + 1 })), ...TABLES.map((table) => ({ table, count: 1 }))]);
      expect(queries.filter((q) => deletedTable(q) !== undefined).every((q) => /LIMIT 4$/.test(q))).toBe(true);
    } finally {
      await batched.close();
    }
  });

  it("runs by itself soon after the instance starts", async () => {
    // The rows are there before the instance starts (seeded through another one on the same database).
    const database: Record<string, string> = TEST_DB === "sqlite" ? { SQLITE_PATH: freshSqlitePath() } : {};
    const seeder = await startTestService(database);
    const seeded = await seed(seeder, new Date()).finally(() => seeder.close());
    const instance = await startTestService({ ...database, RETENTION_PURGE_INTERVAL_MS: "3600000" });
    try {
      await eventually(async () => instance.logs.some((line) => (JSON.parse(line) as { msg: string }).msg === "retention purge"));
      // The pass took its own `now`, a little after the seeding's: the rows at and just after the
      // cutoff may be past their age by then too; the recent ones are not.
      for (const table of TABLES) {
        const recent = seeded[table].filter((r) => r.age === "recent").map((r) => r.id);
        expect({ table, past: await remaining(instance, table, past(seeded, table)), recent: await remaining(instance, table, recent) }).toEqual({ table, past: [], recent: sorted(recent) });
      }
    } finally {
      await instance.close();
    }
  });
});
