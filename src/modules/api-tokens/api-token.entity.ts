import { Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { MemberEntity } from "../workspaces/member.entity";

/** What a personal API token may do. */
export const API_TOKEN_SCOPES = ["FULL", "READ_ONLY", "CREDENTIALS_READ"] as const;
/** One scope. */
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/**
 * A personal API token: acts with its member's rights in its member's workspace, optionally
 * narrowed by scope. Only a SHA-256 of the token is stored, with a visible prefix and its last
 * characters so people can tell their tokens apart. Removing the member removes their tokens.
 */
@Entity({ name: "api_tokens" })
@Index("uq_api_tokens_prefix", ["prefix"], { unique: true })
@Index("ix_api_tokens_member", ["memberId"])
export class ApiTokenEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @RefColumn({ name: "member_id" })
  memberId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "member_id" })
  member?: Relation<MemberEntity>;

  @StringColumn(120)
  name!: string;

  /** `cat_` + 8 characters: shown, and used to find the token. */
  @StringColumn(16)
  prefix!: string;

  @StringColumn(8)
  last4!: string;

  /** SHA-256 (hex) of the whole token. */
  @StringColumn(64)
  hash!: string;

  @StringColumn(20)
  scope!: ApiTokenScope;

  @TimestampColumn({ name: "expires_at", nullable: true })
  expiresAt!: Date | null;

  @TimestampColumn({ name: "revoked_at", nullable: true })
  revokedAt!: Date | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
