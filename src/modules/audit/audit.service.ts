import type { DataSource, EntityManager } from "typeorm";
import { newId } from "../../db/ids";
import { decodeCursor, encodeCursor, pageSizeOf } from "../../graphql/pagination";
import { AuditEventEntity, type AuditAction } from "./audit-event.entity";

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

/** The audit trail: written in the same transaction as the change it records. */
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Records one action (call inside the change's transaction). */
  async record(
    manager: EntityManager,
    workspaceId: string,
    actor: AuditActor,
    action: AuditAction,
    accountId: string | null,
    details: AuditDetails = {},
  ): Promise<void> {
    await manager.insert(
      AuditEventEntity,
      Object.assign(new AuditEventEntity(), {
        id: newId(),
        workspaceId,
        actorUserId: actor.userId,
        actorMemberId: actor.memberId,
        action,
        accountId,
        details: JSON.stringify(details),
        createdAt: new Date(),
      }),
    );
  }

  /** A page of a workspace's trail, newest first. */
  async list(workspaceId: string, filter: AuditFilter, page: { first?: number | null; after?: string | null }) {
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
