import { Entity, Index } from "typeorm";
import { FlagColumn, IdColumn, IntColumn, StringColumn, TimestampColumn } from "../../db/columns";

/** A tenant. Every other row belongs to exactly one workspace. */
@Entity({ name: "workspaces" })
// Instances look for deletions to finish (a crashed one's) by this column.
@Index("ix_workspaces_deleting", ["deletingAt"])
export class WorkspaceEntity {
  @IdColumn()
  id!: string;

  @StringColumn(120)
  name!: string;

  /** Lets OWNER/ADMIN manage access to, reconnect and rename accounts they do not own (SPEC §3). */
  @FlagColumn(false, { name: "admins_manage_access" })
  adminsManageAccess!: boolean;

  /** The last event sequence number given in this workspace (events are numbered under this row's lock). */
  @IntColumn({ name: "event_seq", default: 0 })
  eventSeq!: number;

  /**
   * Set when the workspace's deletion begins (deleteWorkspace, or the operator's command); from then
   * on it is gone for everyone (its members went in the same transaction) while its rows are
   * removed in batches. A deletion interrupted by a crash is finished by the next instance to start.
   */
  @TimestampColumn({ name: "deleting_at", nullable: true })
  deletingAt!: Date | null;

  /** Which instance is running the deletion, until when (another takes over after it lapses). */
  @TimestampColumn({ name: "deletion_lease_until", nullable: true })
  deletionLeaseUntil!: Date | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
