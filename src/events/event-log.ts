import type { DataSource, EntityManager } from "typeorm";
import type { AccountSubject } from "../authz/account-access";
import { newId } from "../db/ids";
import { afterCommit, lockRow } from "../db/transactions";
import { WorkspaceEntity } from "../modules/workspaces/workspace.entity";
import type { EventBus } from "./event-bus";
import { EventFeed } from "./event-feed";
import { AccountEventEntity, type EventKind } from "./event.entity";

/** One event to append. `subject` is who could view the account then (used for ACCOUNT_DELETED). */
export interface NewEvent {
  kind: EventKind;
  accountId: string;
  details?: Record<string, string | number | boolean | null | string[]>;
  subject?: AccountSubject;
}

/** The durable, ordered event log and its publication after commit. */
export class EventLog {
  private liveFeed: EventFeed | null = null;

  constructor(
    readonly dataSource: DataSource,
    readonly bus: EventBus,
  ) {}

  /** The live subscribers of this process, fed from this log (listens to the bus from first use). */
  get feed(): EventFeed {
    return (this.liveFeed ??= new EventFeed(this));
  }

  /**
   * Appends events in the caller's transaction. Numbers are taken under the workspace row's lock,
   * so they are given in commit order and a cursor never skips an event that commits later. The
   * notice is published only after the transaction commits.
   */
  async append(manager: EntityManager, workspaceId: string, events: NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await lockRow(manager, "workspaces", workspaceId);
    const workspace = await manager.findOneByOrFail(WorkspaceEntity, { id: workspaceId });
    let seq = workspace.eventSeq;
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
    await manager.update(WorkspaceEntity, { id: workspaceId }, { eventSeq: seq });
    afterCommit(manager, () => this.bus.publish({ workspaceId, seq }));
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
    return (await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId }))?.eventSeq ?? 0;
  }

  /** Deletes events older than the retention. */
  async prune(retentionMs: number): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(AccountEventEntity)
      .where("created_at < :cutoff", { cutoff: new Date(Date.now() - retentionMs) })
      .execute();
    return result.affected ?? 0;
  }
}
