import { Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { WorkspaceEntity } from "./workspace.entity";

import type { WorkspaceRole } from "../../authz/vocabulary";

export { WORKSPACE_ROLES, type WorkspaceRole } from "../../authz/vocabulary";

/** A user's membership of one workspace, with their role there. */
@Entity({ name: "members" })
@Index("uq_members_workspace_user", ["workspaceId", "userId"], { unique: true })
@Index("ix_members_user", ["userId"])
export class MemberEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  /** The identity provider's subject (`sub` claim). */
  @StringColumn(190, { name: "user_id" })
  userId!: string;

  @StringColumn(16)
  role!: WorkspaceRole;

  @StringColumn(120, { name: "display_name", nullable: true })
  displayName!: string | null;

  @StringColumn(254, { nullable: true })
  email!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
