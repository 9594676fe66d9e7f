import { Entity } from "typeorm";
import { FlagColumn, IdColumn, IntColumn, StringColumn, TimestampColumn } from "../../db/columns";

/** A tenant. Every other row belongs to exactly one workspace. */
@Entity({ name: "workspaces" })
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

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
