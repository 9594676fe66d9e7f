import { Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { IdColumn, IntColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/** Whether a request still waits for an answer. */
export type AppRequestStatus = "OPEN" | "CLOSED";

/**
 * A member's request for an app the catalog lacks. Requests for the same app (same normalized
 * name) while one is open merge into it, counting how many times it was asked for.
 */
@Entity({ name: "app_requests" })
@Index("ix_app_requests_workspace_name", ["workspaceId", "normalizedName", "status"])
@Index("ix_app_requests_workspace_created", ["workspaceId", "createdAt", "id"])
export class AppRequestEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  @StringColumn(120)
  name!: string;

  /** Lower-case, trimmed, inner whitespace collapsed: what duplicates are recognized by. */
  @StringColumn(120, { name: "normalized_name" })
  normalizedName!: string;

  @StringColumn(2048, { nullable: true })
  url!: string | null;

  @StringColumn(1000, { nullable: true })
  reason!: string | null;

  @IntColumn({ default: 1 })
  count!: number;

  @StringColumn(16)
  status!: AppRequestStatus;

  /** The member who first asked (a plain id: the request outlives the membership). */
  @RefColumn({ name: "requested_by_member_id" })
  requestedByMemberId!: string;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;

  @TimestampColumn({ name: "closed_at", nullable: true })
  closedAt!: Date | null;
}
