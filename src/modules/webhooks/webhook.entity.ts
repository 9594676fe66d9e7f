import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { FlagColumn, IdColumn, IntColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/**
 * A workspace's webhook endpoint: where its events go (the kinds and accounts it asked for), with
 * its own cursor in the workspace's event log and a delivery lease, so that one instance at a time
 * delivers to it, in log order. The signing secret is sealed (table webhook_endpoints, field
 * secret); during a rotation the previous one signs too until `previousSecretUntil`.
 */
@Entity({ name: "webhook_endpoints" })
@Index("ix_webhook_endpoints_workspace", ["workspaceId", "createdAt"])
@Index("ix_webhook_endpoints_due", ["enabled", "nextAttemptAt"])
export class WebhookEndpointEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  @StringColumn(2048)
  url!: string;

  @StringColumn(500, { nullable: true })
  description!: string | null;

  /** The event kinds it receives, as a JSON array; null: every kind. */
  @StringColumn(1000, { nullable: true })
  kinds!: string | null;

  /** The accounts it receives events of, as a JSON array of ids; null: every account. */
  @Column({ type: "text", nullable: true, name: "account_ids" })
  accountIds!: string | null;

  @FlagColumn(true)
  enabled!: boolean;

  /** Why delivery stopped (GONE, FAILING, or set by an admin). */
  @StringColumn(200, { nullable: true, name: "disabled_reason" })
  disabledReason!: string | null;

  @Column({ type: "text" })
  secret!: string;

  @Column({ type: "text", nullable: true, name: "previous_secret" })
  previousSecret!: string | null;

  @TimestampColumn({ nullable: true, name: "previous_secret_until" })
  previousSecretUntil!: Date | null;

  /** The last event of the workspace's log this endpoint is done with (delivered or not for it). */
  @IntColumn({ default: 0 })
  cursor!: number;

  @StringColumn(64, { nullable: true, name: "lease_owner" })
  leaseOwner!: string | null;

  @TimestampColumn({ nullable: true, name: "lease_until" })
  leaseUntil!: Date | null;

  /** Backing off after a failed attempt: no delivery before this. */
  @TimestampColumn({ nullable: true, name: "next_attempt_at" })
  nextAttemptAt!: Date | null;

  /** Since when the head event has been failing (null: not failing). */
  @TimestampColumn({ nullable: true, name: "failing_since" })
  failingSince!: Date | null;

  /** Failed attempts of the head event so far. */
  @IntColumn({ default: 0 })
  attempts!: number;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/** What happened to one event (or test ping) at one endpoint: the last attempt's outcome. */
@Entity({ name: "webhook_deliveries" })
@Index("ix_webhook_deliveries_endpoint", ["endpointId", "createdAt"])
@Index("uq_webhook_deliveries_event", ["endpointId", "seq"], { unique: true })
@Index("ix_webhook_deliveries_created", ["createdAt"])
export class WebhookDeliveryEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "endpoint_id" })
  endpointId!: string;

  @ManyToOne(() => WebhookEndpointEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "endpoint_id" })
  endpoint?: Relation<WebhookEndpointEntity>;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  /** The event's id and cursor (null for a test ping). */
  @RefColumn({ name: "event_id", nullable: true })
  eventId!: string | null;

  @IntColumn({ nullable: true })
  seq!: number | null;

  @StringColumn(64)
  kind!: string;

  /** The `webhook-id` sent: the same for every attempt, so receivers deduplicate. */
  @StringColumn(64, { name: "message_id" })
  messageId!: string;

  /** SUCCEEDED, RETRYING or FAILED. */
  @StringColumn(16)
  status!: string;

  @IntColumn({ default: 0 })
  attempts!: number;

  @IntColumn({ nullable: true, name: "response_status" })
  responseStatus!: number | null;

  @StringColumn(300, { nullable: true })
  error!: string | null;

  @IntColumn({ nullable: true, name: "latency_ms" })
  latencyMs!: number | null;

  /** The start of the receiver's answer (at most 1,000 characters). */
  @StringColumn(1000, { nullable: true, name: "response_excerpt" })
  responseExcerpt!: string | null;

  @TimestampColumn({ nullable: true, name: "next_attempt_at" })
  nextAttemptAt!: Date | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
