import type { DataSource, EntityManager } from "typeorm";
import { newId } from "../../db/ids";
import { insertRows } from "../../db/prepared";
import type { Logger } from "../../logging/logger";
import { decodeCursor, encodeCursor, pageSizeOf } from "../../db/pagination";
import { AuditEventEntity, type AuditAction } from "./audit-event.entity";
import { metrics } from "../../observability/metrics";

/** Who did it. */
export interface AuditActor {
  userId: string;
  memberId: string | null;
}

/** Details of an audit entry: ids and non-secret facts only. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;

/** Filters of the audit trail. */
export interface AuditFilter {
  accountId?: string | null;
  actorUserId?: string | null;
}

/** How reads are batched (see `recordRead`). */
export interface AuditBatching {
  /** A read waits at most this long before its entry is written. */
  flushIntervalMs: number;
  /** Entries per INSERT. */
  maxBatch: number;
  /** Beyond this many unwritten entries, readers wait for the write (backpressure, never loss). */
  maxPending: number;
}

const DEFAULT_BATCHING: AuditBatching = { flushIntervalMs: 100, maxBatch: 500, maxPending: 20_000 };
const RETRY_MS = 1000;

/**
 * The audit trail. Changes are written in the same transaction as the change they record. Reads
 * (credential reads, requests sent through an account) change nothing, and they are the hot
 * path: their entries are batched and written off the request path, one INSERT per batch,
 * within `flushIntervalMs`. A failed write keeps its entries and retries; reading the trail
 * writes what is pending first; shutdown writes everything. Only a crash of the process can lose
 * the last `flushIntervalMs` of read entries.
 */
export class AuditService {
  private pending: AuditEventEntity[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger?: Logger,
    private readonly batching: AuditBatching = DEFAULT_BATCHING,
  ) {}

  /** Records one change (call inside the change's transaction). */
  async record(
    manager: EntityManager,
    workspaceId: string,
    actor: AuditActor,
    action: AuditAction,
    accountId: string | null,
    details: AuditDetails = {},
  ): Promise<void> {
    await manager.insert(AuditEventEntity, entry(workspaceId, actor, action, accountId, details));
  }

  /**
   * Records one read without writing on the caller's path. Resolves at once, unless too many
   * entries are waiting (the database is slow or down): then it resolves once they are written,
   * so memory stays bounded and nothing is dropped.
   */
  recordRead(workspaceId: string, actor: AuditActor, action: AuditAction, accountId: string | null, details: AuditDetails = {}): Promise<void> {
    this.pending.push(entry(workspaceId, actor, action, accountId, details));
    if (this.pending.length > this.batching.maxPending) return this.flush();
    if (this.pending.length >= this.batching.maxBatch) this.flushSoon(0);
    else this.flushSoon(this.batching.flushIntervalMs);
    return Promise.resolve();
  }

  /**
   * Writes the read entries pending now (one INSERT per batch); rejects, keeping them, when the
   * database fails. Entries that arrive meanwhile wait for the next interval: draining them too
   * would write back to back under load, a few rows per INSERT.
   */
  async flush(): Promise<void> {
    while (this.writing) await this.writing.catch(() => undefined);
    let due = this.pending.length;
    while (due > 0) {
      const batch = this.pending.splice(0, Math.min(due, this.batching.maxBatch));
      due -= batch.length;
      this.writing = insertRows(this.dataSource, AuditEventEntity, batch).then(
        () => undefined,
        (error: unknown) => {
          this.pending.unshift(...batch);
          metrics.auditWriteFailed(batch.length);
          throw error;
        },
      );
      try {
        await this.writing;
      } finally {
        this.writing = undefined;
      }
    }
  }

  /** Read entries not yet written (for shutdown reports and tests). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Writes what is pending and stops the timer (shutdown). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch((error: unknown) => {
        this.logger?.warn({ err: error, pending: this.pending.length }, "audit entries not written yet; retrying");
        if (!this.timer) this.flushSoon(RETRY_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** A page of a workspace's trail, newest first (pending read entries are written first). */
  async list(workspaceId: string, filter: AuditFilter, page: { first?: number | null; after?: string | null }) {
    await this.flush();
    const size = pageSizeOf(page.first);
    const query = this.dataSource
      .getRepository(AuditEventEntity)
      .createQueryBuilder("e")
      .where("e.workspace_id = :workspaceId", { workspaceId });
    if (filter.accountId) query.andWhere("e.account_id = :accountId", { accountId: filter.accountId });
    if (filter.actorUserId) query.andWhere("e.actor_user_id = :actor", { actor: filter.actorUserId });
    if (page.after) query.andWhere("e.id < :after", { after: decodeCursor(page.after, 1)[0] });
    const rows = await query.orderBy("e.id", "DESC").limit(size + 1).getMany();
    const nodes = rows.slice(0, size);
    const last = nodes[nodes.length - 1];
    return { nodes, pageInfo: { endCursor: last ? encodeCursor([last.id]) : null, hasNextPage: rows.length > size } };
  }
}

function entry(workspaceId: string, actor: AuditActor, action: AuditAction, accountId: string | null, details: AuditDetails): AuditEventEntity {
  // Assigned one by one (one entry per credential read: no temporary object to copy from).
  const e = new AuditEventEntity();
  e.id = newId();
  e.workspaceId = workspaceId;
  e.actorUserId = actor.userId;
  e.actorMemberId = actor.memberId;
  e.action = action;
  e.accountId = accountId;
  e.details = JSON.stringify(details);
  e.createdAt = new Date();
  return e;
}
