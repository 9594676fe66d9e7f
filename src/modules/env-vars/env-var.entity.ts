import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { FlagColumn, IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/**
 * A workspace environment variable: a named value steps can reference as `{{env.NAME}}` (custom
 * credentials, base URLs). Secret values are write-only: sealed here (table workspace_env_vars,
 * field value), opened only when a step runs.
 */
@Entity({ name: "workspace_env_vars" })
@Index("uq_workspace_env_vars_name", ["workspaceId", "name"], { unique: true })
export class EnvVarEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  @StringColumn(128)
  name!: string;

  /**
   * The value (secret ones sealed: `cas1.…`). Values go up to 64 KB, so a sealed one is ~88 KB:
   * more than a MariaDB TEXT holds. `json` is the one column type that is LONGTEXT on MariaDB
   * and TEXT on SQLite alike; it holds the value as a JSON string (TypeORM encodes and decodes it).
   */
  @Column({ type: "json" })
  value!: string;

  @FlagColumn(true)
  secret!: boolean;

  @StringColumn(500, { nullable: true })
  description!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
