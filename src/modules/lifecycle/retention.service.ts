import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { deleteInBatches, quoteName } from "../../db/batch-delete";
import { AccountEventEntity } from "../../events/event.entity";
import type { Config } from "../../config";
import type { Logger } from "../../logging/logger";
import { AuditEventEntity } from "../audit/audit-event.entity";
import { WebhookDeliveryEntity } from "../webhooks/webhook.entity";
import { StepRunEntity } from "../workflows/workflow.entity";

/** How long each kind of record is kept, and how the purge runs (documented in config.ts, `retention`). */
export type RetentionSettings = Config["retention"];

// The first pass comes this soon after start (or after one interval, if that is shorter): not in
// the middle of start-up, but without waiting an hour on an instance that restarts often.
const FIRST_PASS_DELAY_MS = 5_000;
const DAY_MS = 24 * 3600 * 1000;

// One kind of record that ages out: its entity, the timestamp it ages by, and its setting.
interface Policy {
  entity: EntityTarget<ObjectLiteral>;
  property: string;
  days: keyof Pick<RetentionSettings, "stepRunDays" | "auditDays" | "webhookDeliveryDays" | "eventDays">;
}

const POLICIES: readonly Policy[] = [
  { entity: StepRunEntity, property: "createdAt", days: "stepRunDays" },
  { entity: AuditEventEntity, property: "createdAt", days: "auditDays" },
  { entity: WebhookDeliveryEntity, property: "createdAt", days: "webhookDeliveryDays" },
  { entity: AccountEventEntity, property: "createdAt", days: "eventDays" },
];

// Thrown between batches when the purger stops, so that shutdown does not wait for a long purge.
class PassStopped extends Error {}

/**
 * Deletes records past their age: step runs, audit entries, webhook deliveries and events whose
 * `created_at` is older than their setting, across every workspace. Each table goes in batches
 * (`deleteInBatches`: `DELETE … LIMIT n`, one short transaction each, by the table's created_at
 * index), yielding to the event loop between batches, so a large backlog never holds locks long.
 * Every instance runs it; the deletes are idempotent, so instances need not take turns, but the
 * passes of one instance never overlap.
 */
export class RetentionPurger {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Record<string, number>> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: RetentionSettings,
    private readonly logger: Logger,
  ) {}

  /** Starts the background passes: the first soon after start, then every interval (no-op when it is 0). */
  start(): void {
    const intervalMs = this.settings.purgeIntervalMs;
    if (intervalMs <= 0 || this.timer || this.stopped) return;
    // A tick while a pass is still running is skipped: the running pass already covers it.
    const tick = () => {
      if (!this.running) void this.purgeOnce().catch(() => undefined);
    };
    this.timer = setTimeout(() => {
      tick();
      if (this.stopped) return;
      this.timer = setInterval(tick, intervalMs);
      this.timer.unref();
    }, Math.min(FIRST_PASS_DELAY_MS, intervalMs));
    this.timer.unref();
  }

  /** Stops the background passes and waits for a pass in flight, which ends at its next batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * One pass: deletes, table by table, the rows created before `now` minus their setting (tables
   * set to 0 are left alone). Resolves to the rows deleted per table name. A call while a pass is
   * running waits for it and then runs its own.
   */
  purgeOnce(now: Date = new Date()): Promise<Record<string, number>> {
    const pass: Promise<Record<string, number>> = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.pass(now))
      .finally(() => {
        if (this.running === pass) this.running = undefined;
      });
    this.running = pass;
    return pass;
  }

  private async pass(now: Date): Promise<Record<string, number>> {
    const started = performance.now();
    const deleted: Record<string, number> = {};
    const failed: string[] = [];
    let stopped = false;
    for (const policy of POLICIES) {
      const days = this.settings[policy.days];
      if (days <= 0) continue;
      if (this.stopped) {
        stopped = true;
        break;
      }
      const metadata = this.dataSource.getMetadata(policy.entity);
      const column = metadata.findColumnWithPropertyName(policy.property)!;
      const cutoff = this.dataSource.driver.preparePersistentValue(new Date(now.getTime() - days * DAY_MS), column) as unknown;
      try {
        deleted[metadata.tableName] = await deleteInBatches(this.dataSource, metadata.tableName, `${quoteName(this.dataSource, column.databaseName)} < ?`, [cutoff], this.settings.batchSize, {
          between: async () => {
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (this.stopped) throw new PassStopped();
          },
        });
      } catch (error) {
        if (error instanceof PassStopped) {
          stopped = true;
          break;
        }
        // The other tables still go; the next pass tries this one again.
        failed.push(metadata.tableName);
        this.logger.warn({ err: error, table: metadata.tableName }, "retention purge of a table failed");
      }
    }
    this.logger.info({ deleted, failed: failed.length > 0 ? failed : undefined, stopped: stopped || undefined, ms: Math.round(performance.now() - started) }, "retention purge");
    return deleted;
  }
}
