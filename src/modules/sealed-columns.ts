import { EnvVarEntity } from "./env-vars/env-var.entity";
import { OAuthClientEntity } from "./oauth/oauth-client.entity";
import type { SealedColumn } from "../crypto/reseal-columns";
import { WebhookEndpointEntity } from "./webhooks/webhook.entity";

/** Every sealed column outside account_secrets, with how each row's value is bound. Re-sealing walks these. */
export const SEALED_COLUMNS = [
  {
    entity: OAuthClientEntity,
    column: "clientSecret",
    contextOf: (row) => ({ workspaceId: row.workspaceId, table: "oauth_clients", rowId: row.id, field: "client_secret" }),
    isSealed: () => true,
    idOf: (row) => ({ id: row.id }),
  } satisfies SealedColumn<OAuthClientEntity>,
  {
    entity: EnvVarEntity,
    column: "value",
    contextOf: (row) => ({ workspaceId: row.workspaceId, table: "workspace_env_vars", rowId: row.id, field: "value" }),
    isSealed: (row) => row.secret,
    idOf: (row) => ({ id: row.id }),
    // `value` is a JSON column (values up to 64 KB outgrow TEXT once sealed): compare updated_at.
    unchangedSince: (row) => ({ updatedAt: row.updatedAt }),
  } satisfies SealedColumn<EnvVarEntity>,
  {
    entity: WebhookEndpointEntity,
    column: "secret",
    contextOf: (row) => ({ workspaceId: row.workspaceId, table: "webhook_endpoints", rowId: row.id, field: "secret" }),
    isSealed: () => true,
    idOf: (row) => ({ id: row.id }),
  } satisfies SealedColumn<WebhookEndpointEntity>,
  {
    entity: WebhookEndpointEntity,
    column: "previousSecret",
    contextOf: (row) => ({ workspaceId: row.workspaceId, table: "webhook_endpoints", rowId: row.id, field: "previous_secret" }),
    isSealed: (row) => row.previousSecret !== null,
    idOf: (row) => ({ id: row.id }),
  } satisfies SealedColumn<WebhookEndpointEntity>,
];
