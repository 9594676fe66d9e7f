import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { AccountEntity } from "./account.entity";

/**
 * One sealed credential field of an account (e.g. `api_key`, `oauth_refresh_token`). The envelope
 * is bound to workspace, table, account and field: copied anywhere else it does not open.
 */
@Entity({ name: "account_secrets" })
@Index("ix_account_secrets_kid", ["kid"])
export class AccountSecretEntity {
  @PrimaryColumn({ type: "varchar", length: 36, name: "account_id" })
  accountId!: string;

  @PrimaryColumn({ type: "varchar", length: 64 })
  field!: string;

  @ManyToOne(() => AccountEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "account_id" })
  account?: Relation<AccountEntity>;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  /** `cas1.<kid>.<nonce>.<ciphertext>.<tag>`. */
  @Column({ type: "text" })
  envelope!: string;

  /** The key id of the envelope, so re-sealing finds what still uses an old key. */
  @StringColumn(32)
  kid!: string;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
