import { Column, Entity, Index } from "typeorm";
import { IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";

/** What the audit trail records. */
export const AUDIT_ACTIONS = [
  "ACCOUNT_CONNECTED",
  "ACCOUNT_RENAMED",
  "ACCOUNT_CREDENTIALS_UPDATED",
  "ACCOUNT_DELETED",
  "ACCOUNT_SHARED",
  "ACCOUNT_ACCESS_REVOKED",
  "ACCOUNT_CLAIMED",
  "ACCOUNT_IMPORTED",
  "ACCOUNT_CREDENTIALS_READ",
  "ACCOUNT_REQUEST_SENT",
  "ACCOUNT_HEALTH_CHANGED",
  "ACCOUNT_REFRESH_FAILED",
  "ACCOUNT_SCOPES_CHANGED",
  "ACCOUNT_RECONNECTED",
  "WORKSPACE_SETTINGS_CHANGED",
  "WEBHOOK_ENDPOINT_CREATED",
  "WEBHOOK_ENDPOINT_UPDATED",
  "WEBHOOK_ENDPOINT_DELETED",
  "WEBHOOK_SECRET_ROTATED",
  "WEBHOOK_ENDPOINT_DISABLED",
] as const;
/** One audited action. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One entry of the audit trail: who did what to which account, when. Details are ids and
 * non-secret facts only. Rows outlive the accounts they mention (no foreign key on purpose).
 */
@Entity({ name: "audit_events" })
@Index("ix_audit_workspace_created", ["workspaceId", "createdAt", "id"])
@Index("ix_audit_workspace_account", ["workspaceId", "accountId"])
@Index("ix_audit_created", ["createdAt"])
export class AuditEventEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  /** The acting user (`sub`), or `system` for the service itself (refreshes). */
  @StringColumn(190, { name: "actor_user_id" })
  actorUserId!: string;

  @RefColumn({ name: "actor_member_id", nullable: true })
  actorMemberId!: string | null;

  @StringColumn(40)
  action!: AuditAction;

  @RefColumn({ name: "account_id", nullable: true })
  accountId!: string | null;

  /** JSON object of non-secret details. */
  @Column({ type: "text" })
  details!: string;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
