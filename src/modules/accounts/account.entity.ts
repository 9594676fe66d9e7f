import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { IdColumn, IntColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { MemberEntity } from "../workspaces/member.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/** Health states of an account (binding, SPEC §4). */
export const HEALTH_STATUSES = ["HEALTHY", "NEEDS_RECONNECT", "DEGRADED", "CLIENT_MISCONFIGURED"] as const;
/** One health state. */
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

/**
 * One member's authorization at one app. Credentials are not here: they live sealed in
 * account_secrets, which only the credential vault reads.
 */
@Entity({ name: "accounts" })
@Index("ix_accounts_workspace_created", ["workspaceId", "createdAt", "id"])
@Index("ix_accounts_owner", ["ownerMemberId"])
@Index("ix_accounts_next_refresh", ["nextRefreshAt"])
// The accounts-per-health gauge counts this index, not the table (ACCOUNT_COUNT_INTERVAL_MS).
@Index("ix_accounts_health", ["healthStatus"])
export class AccountEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  @StringColumn(64, { name: "app_slug" })
  appSlug!: string;

  @StringColumn(120)
  nickname!: string;

  /** The member who connected it; null for legacy (imported) accounts and when the owner left. */
  @RefColumn({ name: "owner_member_id", nullable: true })
  ownerMemberId!: string | null;

  @ManyToOne(() => MemberEntity, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "owner_member_id" })
  owner?: Relation<MemberEntity> | null;

  /**
   * The connection's values, as JSON `{ parameters, learned }`: what a tenant app's URLs are
   * made of (a shop, a subdomain, an instance URL). Not secret; null for apps with fixed URLs.
   */
  @Column({ type: "text", nullable: true })
  connection!: string | null;

  /** Granted scopes, as a JSON array. */
  @Column({ type: "text" })
  scopes!: string;

  /** The provider's id of the connected user/team, when known. */
  @StringColumn(190, { name: "external_id", nullable: true })
  externalId!: string | null;

  @StringColumn(190, { name: "external_name", nullable: true })
  externalName!: string | null;

  /** Keyed fingerprint of the credentials (key-based apps): proves a claimer holds the same key. */
  @StringColumn(100, { nullable: true })
  fingerprint!: string | null;

  @StringColumn(32, { name: "health_status" })
  healthStatus!: HealthStatus;

  /** Sanitized reason of the last failure (never a token or a provider body verbatim). */
  @StringColumn(500, { name: "last_error", nullable: true })
  lastError!: string | null;

  @TimestampColumn({ name: "expires_at", nullable: true })
  expiresAt!: Date | null;

  @TimestampColumn({ name: "last_refreshed_at", nullable: true })
  lastRefreshedAt!: Date | null;

  @TimestampColumn({ name: "next_refresh_at", nullable: true })
  nextRefreshAt!: Date | null;

  /** The workspace OAuth client it was connected with; null for the service's default client (or key apps). */
  @RefColumn({ name: "oauth_client_id", nullable: true })
  oauthClientId!: string | null;

  /** Refresh lease: which instance/process holds it, and until when (one refresh per account at a time). */
  @StringColumn(64, { name: "lease_owner", nullable: true })
  leaseOwner!: string | null;

  @TimestampColumn({ name: "lease_until", nullable: true })
  leaseUntil!: Date | null;

  /** Consecutive transient refresh failures (backoff, and the auth-failure alert threshold). */
  @IntColumn({ name: "refresh_failures", default: 0 })
  refreshFailures!: number;

  /** Set just before a refresh call and cleared by its write: a crash in between leaves it set. */
  @TimestampColumn({ name: "refresh_started_at", nullable: true })
  refreshStartedAt!: Date | null;

  /** Optimistic version: bumped by every credential or state write. */
  @IntColumn({ default: 1 })
  version!: number;

  @TimestampColumn({ name: "connected_at" })
  connectedAt!: Date;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/** The fields a new account must be given; everything else starts at its default. */
export type NewAccountFields = Pick<AccountEntity, "id" | "workspaceId" | "appSlug" | "nickname" | "ownerMemberId"> & Partial<AccountEntity>;

/**
 * A new account row: healthy, version 1, no lease, no expiry, created now (unless given). The
 * one place that knows every column's starting value, for connects, imports and test factories.
 */
export function newAccount(fields: NewAccountFields): AccountEntity {
  const now = fields.createdAt ?? new Date();
  return Object.assign(new AccountEntity(), {
    scopes: "[]",
    connection: null,
    externalId: null,
    externalName: null,
    fingerprint: null,
    healthStatus: "HEALTHY" as const,
    lastError: null,
    oauthClientId: null,
    leaseOwner: null,
    leaseUntil: null,
    refreshFailures: 0,
    refreshStartedAt: null,
    expiresAt: null,
    lastRefreshedAt: null,
    nextRefreshAt: null,
    version: 1,
    connectedAt: now,
    createdAt: now,
    updatedAt: new Date(),
    ...fields,
  });
}
