import { Column, Entity, Index } from "typeorm";
import { IdColumn, IntColumn, RefColumn, StringColumn, TimestampColumn } from "../db/columns";

/** The binding event kinds of SPEC §5. */
export const EVENT_KINDS = [
  "ACCOUNT_CONNECTED",
  "ACCOUNT_RECONNECT_REQUIRED",
  "ACCOUNT_SCOPES_CHANGED",
  "ACCOUNT_AUTH_FAILED",
  "ACCOUNT_RECOVERED",
  "ACCOUNT_ACCESS_CHANGED",
  "ACCOUNT_DELETED",
] as const;
/** One event kind. */
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * The durable event log: one row per event, numbered per workspace (`seq`, the cursor) in commit
 * order, written in the same transaction as the change that caused it. Payloads carry ids and
 * non-secret fields only.
 */
@Entity({ name: "account_events" })
@Index("uq_account_events_seq", ["workspaceId", "seq"], { unique: true })
@Index("ix_account_events_created", ["createdAt"])
export class AccountEventEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @IntColumn()
  seq!: number;

  @StringColumn(40)
  kind!: EventKind;

  @RefColumn({ name: "account_id" })
  accountId!: string;

  /** JSON: non-secret details, and who could view the account when the event happened. */
  @Column({ type: "text" })
  payload!: string;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
