import { Entity } from "typeorm";
import { IdColumn, StringColumn, TimestampColumn } from "../../db/columns";

/** A tenant. Every other row belongs to exactly one workspace. */
@Entity({ name: "workspaces" })
export class WorkspaceEntity {
  @IdColumn()
  id!: string;

  @StringColumn(120)
  name!: string;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
