import { Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { AccountEntity } from "./account.entity";
import { MemberEntity } from "../workspaces/member.entity";

export { WORKSPACE_GRANTEE } from "../../authz/vocabulary";

/** A share of an account: to the whole workspace, or to one member. No grants = private. */
@Entity({ name: "account_grants" })
@Index("uq_account_grants_grantee", ["accountId", "granteeKey"], { unique: true })
@Index("ix_account_grants_member", ["memberId"])
export class GrantEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @RefColumn({ name: "account_id" })
  accountId!: string;

  @ManyToOne(() => AccountEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "account_id" })
  account?: Relation<AccountEntity>;

  /** `workspace`, or the grantee member's id: unique per account. */
  @StringColumn(36, { name: "grantee_key" })
  granteeKey!: string;

  /** The grantee member; null for a workspace grant. Removing the member removes the grant. */
  @RefColumn({ name: "member_id", nullable: true })
  memberId!: string | null;

  @ManyToOne(() => MemberEntity, { onDelete: "CASCADE", nullable: true })
  @JoinColumn({ name: "member_id" })
  member?: Relation<MemberEntity> | null;

  @RefColumn({ name: "granted_by_member_id", nullable: true })
  grantedByMemberId!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
