import { Entity } from "typeorm";
import { FlagColumn, IdColumn, StringColumn, TimestampColumn } from "../../db/columns";

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

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
