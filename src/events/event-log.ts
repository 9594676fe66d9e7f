import type { DataSource, EntityManager } from "typeorm";
import type { AccountSubject } from "../authz/account-access";
import { newId } from "../db/ids";
import { afterCommit, lockedColumn, lockRow } from "../db/transactions";
import type { EventBus } from "./event-bus";
import { AccountEventEntity, type EventKind } from "./event.entity";
import { metrics } from "../observability/metrics";

// The kinds that call for attention (SPEC §5): counted as alerts raised.
const ALERT_KINDS: ReadonlySet<string> = new Set(["ACCOUNT_AUTH_FAILED", "ACCOUNT_RECONNECT_REQUIRED"]);

/** One event to append. `subject` is who could view the account then (used for ACCOUNT_DELETED). */
export interface NewEvent {
  kind: EventKind;
  accountId: string;
  details?: Record<string, string | number | boolean | null | string[]>;
  subject?: AccountSubject;
}

/** The durable, ordered event log and its publication after commit. */
export class EventLog {
  constructor(
    readonly dataSource: DataSource,
    readonly bus: EventBus,
    /** How often the feed reads the heads of the logs it follows, besides the bus's notices (0: never). */
    readonly pollMs = 0,
  ) {}

  /** The latest sequence numbers of several workspaces, in one statement per 500 (missing ones, and those being deleted, are left out). */
  async heads(workspaceIds: readonly string[]): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (let i = 0; i < workspaceIds.length; i += 500) {
      const chunk = workspaceIds.slice(i, i + 500);
      const rows = (await this.dataSource.query(`SELECT id, event_seq FROM workspaces WHERE id IN (${chunk.map(() => "?").join(", ")}) AND deleting_at IS NULL`, chunk)) as Array<{ id: string; event_seq: number | string }>;
      for (const row of rows) heads.set(row.id, Number(row.event_seq));
    }
    return heads;
  }

  /**
   * Takes the workspace's event lock: the first statement of every transaction that will append
   * events. Rows such a transaction writes before appending take shared locks on the workspace row
   * (their foreign keys do), and two transactions that each hold one and then ask for the exclusive
   * lock numbering needs deadlock (8 parallel connects in one workspace lost about 1 in 4 that way).
   * Taken first, the lock makes writers of one workspace queue instead. Several workspaces: in a
   * fixed order, so that two such transactions cannot take them crosswise.
   */
  async lockFor(manager: EntityManager, workspaceIds: string | readonly string[]): Promise<void> {
    for (const id of [...new Set(typeof workspaceIds === "string" ? [workspaceIds] : workspaceIds)].sort()) await lockRow(manager, "workspaces", id);
  }

  /**
   * Appends events in the caller's transaction. Numbers are taken under the workspace row's lock,
   * so they are given in commit order and a cursor never skips an event that commits later. The
   * notice is published only after the transaction commits.
   */
  async append(manager: EntityManager, workspaceId: string, events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    // The locking read itself gives the sequence: on MariaDB (REPEATABLE READ) a plain read after
    // the lock would see the transaction's older snapshot, and two writers would take the same numbers.
    let seq = await lockedEventSeq(manager, workspaceId);
    const now = new Date();
    const rows = events.map((event) =>
      Object.assign(new AccountEventEntity(), {
        id: newId(),
        workspaceId,
        seq: ++seq,
        kind: event.kind,
        accountId: event.accountId,
        payload: JSON.stringify({ details: event.details ?? {}, subject: event.subject ?? null }),
        createdAt: now,
      }),
    );
    await manager.insert(AccountEventEntity, rows);
    // The workspaces table is the workspaces module's; the log owns its event_seq column.
    await manager.query("UPDATE workspaces SET event_seq = ? WHERE id = ?", [seq, workspaceId]);
    afterCommit(manager, () => {
      this.bus.publish({ workspaceId, seq });
      metrics.eventPublished();
      for (const event of events) {
        metrics.eventsAppended(event.kind);
        if (ALERT_KINDS.has(event.kind)) metrics.alertRaised(event.kind);
      }
    });
  }

  /** Events of a workspace after a cursor, in order (at most `limit`). */
  async after(workspaceId: string, seq: number, limit = 500): Promise<AccountEventEntity[]> {
    return this.dataSource
      .getRepository(AccountEventEntity)
      .createQueryBuilder("e")
      .where("e.workspace_id = :workspaceId AND e.seq > :seq", { workspaceId, seq })
      .orderBy("e.seq", "ASC")
      .limit(limit)
      .getMany();
  }

  /** The latest sequence number of a workspace (where a subscription without a cursor starts). */
  async head(workspaceId: string): Promise<number> {
    return (await this.heads([workspaceId])).get(workspaceId) ?? 0;
  }
}

// The workspace's last event number, read under its row lock (held until the transaction ends).
async function lockedEventSeq(manager: EntityManager, workspaceId: string): Promise<number> {
  const value = await lockedColumn(manager, "workspaces", workspaceId, "event_seq");
  if (value === undefined) throw new Error(`Workspace ${workspaceId} not found while appending events.`);
  return Number(value);
}
