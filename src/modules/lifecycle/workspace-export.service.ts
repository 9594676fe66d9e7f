import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { AccountEntity } from "../accounts/account.entity";
import { GrantEntity } from "../accounts/grant.entity";
import { ApiTokenEntity } from "../api-tokens/api-token.entity";
import { AuditEventEntity } from "../audit/audit-event.entity";
import { EnvVarEntity } from "../env-vars/env-var.entity";
import { OAuthClientEntity } from "../oauth/oauth-client.entity";
import { WebhookEndpointEntity } from "../webhooks/webhook.entity";
import { StepEntity, WorkflowEntity } from "../workflows/workflow.entity";
import { MemberEntity } from "../workspaces/member.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/** The export format's version: a field's meaning changes only with it. */
export const EXPORT_FORMAT = "connected-accounts.workspace-export/1";

const PAGE = 1000;

/**
 * Each exported section: the entity and the properties written, as an allow-list. A column is
 * exported only once it is named here, so a new column (a new secret) stays out until someone
 * decides it belongs. Never exported: sealed values (credentials, env var values marked secret,
 * OAuth client secrets, webhook secrets), API token hashes, account fingerprints (derived from keys).
 */
const SECTIONS: ReadonlyArray<{
  name: string;
  entity: EntityTarget<ObjectLiteral>;
  fields: readonly string[];
  /** Fields stored as JSON text, exported parsed. */
  json?: readonly string[];
  /** Fields of this row written as null (a sealed value in a column that is not always sealed). */
  withheld?: (row: ObjectLiteral) => readonly string[];
}> = [
  { name: "members", entity: MemberEntity, fields: ["id", "userId", "role", "displayName", "email", "createdAt"] },
  {
    name: "accounts",
    entity: AccountEntity,
    fields: ["id", "appSlug", "nickname", "ownerMemberId", "healthStatus", "lastError", "scopes", "externalId", "externalName", "connection", "oauthClientId", "expiresAt", "connectedAt", "createdAt", "updatedAt"],
    json: ["connection"],
  },
  { name: "grants", entity: GrantEntity, fields: ["id", "accountId", "granteeKey", "memberId", "grantedByMemberId", "createdAt"] },
  { name: "workflows", entity: WorkflowEntity, fields: ["id", "name", "builderVersion", "createdByMemberId", "createdAt", "updatedAt"] },
  {
    name: "steps",
    entity: StepEntity,
    fields: ["id", "workflowId", "position", "kind", "name", "appSlug", "accountId", "accountRemoved", "props", "code", "http", "createdAt", "updatedAt"],
    json: ["props", "http"],
  },
  // A secret variable's value is sealed: only its name leaves.
  { name: "environmentVariables", entity: EnvVarEntity, fields: ["id", "name", "secret", "value", "description", "createdAt", "updatedAt"], withheld: (row) => (row.secret ? ["value"] : []) },
  { name: "oauthClients", entity: OAuthClientEntity, fields: ["id", "appSlug", "name", "clientId", "scopes", "status", "createdAt", "updatedAt"] },
  { name: "webhookEndpoints", entity: WebhookEndpointEntity, fields: ["id", "url", "description", "kinds", "accountIds", "enabled", "disabledReason", "createdAt", "updatedAt"], json: ["kinds", "accountIds"] },
  { name: "apiTokens", entity: ApiTokenEntity, fields: ["id", "memberId", "name", "prefix", "scope", "expiresAt", "revokedAt", "createdAt"] },
  { name: "auditTrail", entity: AuditEventEntity, fields: ["id", "actorUserId", "actorMemberId", "action", "accountId", "details", "createdAt"], json: ["details"] },
];

/**
 * A workspace as JSON for a tenant leaving (`npm run workspace:export -- <id>`): its members,
 * accounts (metadata, never credentials), grants, workflows and steps, environment variables
 * (names; values only of those not secret), OAuth clients and webhook endpoints (no secrets), API
 * tokens (no hashes) and the whole audit trail. Written in pages to `write`, so a long audit trail
 * is never held in memory.
 */
export class WorkspaceExportService {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the export; false when there is no such workspace (or its deletion has begun). */
  async export(workspaceId: string, write: (chunk: string) => void | Promise<void>): Promise<boolean> {
    const workspace = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    if (!workspace || workspace.deletingAt) return false;
    await write(`{"format":${JSON.stringify(EXPORT_FORMAT)},"exportedAt":${JSON.stringify(new Date().toISOString())},`);
    await write(`"workspace":${JSON.stringify({ id: workspace.id, name: workspace.name, adminsManageAccess: workspace.adminsManageAccess, createdAt: workspace.createdAt })}`);
    for (const section of SECTIONS) {
      await write(`,${JSON.stringify(section.name)}:[`);
      let first = true;
      const repo = this.dataSource.getRepository(section.entity);
      for (let after = ""; ; ) {
        const rows = await repo
          .createQueryBuilder("r")
          .where("r.workspace_id = :workspaceId AND r.id > :after", { workspaceId, after })
          .orderBy("r.id")
          .limit(PAGE)
          .getMany();
        for (const row of rows) {
          const item: Record<string, unknown> = {};
          for (const field of section.fields) {
            let value = row[field] as unknown;
            if (section.json?.includes(field) && typeof value === "string") value = parseJson(value);
            item[field] = value;
          }
          for (const field of section.withheld?.(row) ?? []) item[field] = null;
          await write(`${first ? "" : ","}${JSON.stringify(item)}`);
          first = false;
        }
        if (rows.length < PAGE) break;
        after = String(rows[rows.length - 1]!.id);
      }
      await write("]");
    }
    await write("}\n");
    return true;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
