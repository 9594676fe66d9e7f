import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from "typeorm";
import { IdColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/** A client's standing with its provider. */
export type OAuthClientStatus = "ACTIVE" | "MISCONFIGURED";

/**
 * An OAuth client a workspace brings for an app ("bring your own OAuth client"). The secret is
 * write-only: sealed here, opened only to call the provider. The service's default client per app
 * comes from configuration instead and has its health in `oauth_client_health`.
 */
@Entity({ name: "oauth_clients" })
@Index("ix_oauth_clients_workspace_app", ["workspaceId", "appSlug"])
export class OAuthClientEntity {
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
  name!: string;

  @StringColumn(255, { name: "client_id" })
  clientId!: string;

  /** Sealed (table oauth_clients, field client_secret). */
  @Column({ type: "text", name: "client_secret" })
  clientSecret!: string;

  /** Scopes to request (JSON array); changing them takes effect at the next connect or reconnect. */
  @Column({ type: "text" })
  scopes!: string;

  @StringColumn(32)
  status!: OAuthClientStatus;

  @StringColumn(500, { name: "last_error", nullable: true })
  lastError!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/** Health of the service's default (configured) client per app, shared by every instance. */
@Entity({ name: "oauth_client_health" })
export class OAuthClientHealthEntity {
  @PrimaryColumn({ type: "varchar", length: 64, name: "app_slug" })
  appSlug!: string;

  @StringColumn(32)
  status!: OAuthClientStatus;

  @StringColumn(500, { name: "last_error", nullable: true })
  lastError!: string | null;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}
