import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { RefColumn, StringColumn, TimestampColumn } from "../../db/columns";

/**
 * One pending authorization (connect or reconnect), from the member's request to the provider's
 * callback. Looked up by the SHA-256 of the `state` value (the state itself is never stored), used
 * once (deleted when the callback consumes it), and bound to the browser that opened the flow by a
 * cookie whose hash is kept here.
 */
@Entity({ name: "oauth_flows" })
@Index("ix_oauth_flows_expires", ["expiresAt"])
export class OAuthFlowEntity {
  /** A random handle for the start URL (before the state exists). */
  @PrimaryColumn({ type: "varchar", length: 64 })
  id!: string;

  /** SHA-256 (hex) of the state sent to the provider; null until the browser starts the flow. */
  @StringColumn(64, { name: "state_hash", nullable: true })
  stateHash!: string | null;

  /** SHA-256 (hex) of the browser-binding cookie; null until the browser starts the flow. */
  @StringColumn(64, { name: "binding_hash", nullable: true })
  bindingHash!: string | null;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @RefColumn({ name: "member_id" })
  memberId!: string;

  @StringColumn(190, { name: "user_id" })
  userId!: string;

  @StringColumn(64, { name: "app_slug" })
  appSlug!: string;

  /** The workspace OAuth client chosen, or null for the service's default client. */
  @RefColumn({ name: "oauth_client_id", nullable: true })
  oauthClientId!: string | null;

  /** The account being reconnected (or claimed), or null for a new connection. */
  @RefColumn({ name: "account_id", nullable: true })
  accountId!: string | null;

  @StringColumn(120, { nullable: true })
  nickname!: string | null;

  /** Requested scopes, JSON array. */
  @Column({ type: "text" })
  scopes!: string;

  /** The connection parameters the member gave at the start (JSON), for a tenant app's URLs. */
  @Column({ type: "text", nullable: true })
  parameters!: string | null;

  /** Sealed PKCE code verifier (null when the app does not support PKCE or the flow has not started). */
  @Column({ type: "text", name: "code_verifier", nullable: true })
  codeVerifier!: string | null;

  /** Where the browser goes at the end, from the allow-list; null for the popup page. */
  @StringColumn(1000, { name: "return_url", nullable: true })
  returnUrl!: string | null;

  @TimestampColumn({ name: "expires_at" })
  expiresAt!: Date;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
