import { AccountSecretEntity } from "./accounts/account-secret.entity";
import { AccountEntity } from "./accounts/account.entity";
import { AuditEventEntity } from "./audit/audit-event.entity";
import { GrantEntity } from "./accounts/grant.entity";
import { OAuthClientEntity, OAuthClientHealthEntity } from "./oauth/oauth-client.entity";
import { OAuthFlowEntity } from "./oauth/oauth-flow.entity";
import { StepEntity, StepRunEntity, WorkflowEntity } from "./workflows/workflow.entity";
import { AccountEventEntity } from "../events/event.entity";
import { ApiTokenEntity } from "./api-tokens/api-token.entity";
import { AppRequestEntity } from "./app-requests/app-request.entity";
import { EnvVarEntity } from "./env-vars/env-var.entity";
import { MemberEntity } from "./workspaces/member.entity";
import { WorkspaceEntity } from "./workspaces/workspace.entity";
import { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhooks/webhook.entity";

/** Every entity of the service, listed as classes (TypeORM 1.x), one set for every database. */
export const ENTITIES = [
  WorkspaceEntity,
  MemberEntity,
  AccountEntity,
  AccountSecretEntity,
  GrantEntity,
  AuditEventEntity,
  OAuthClientEntity,
  OAuthClientHealthEntity,
  OAuthFlowEntity,
  WorkflowEntity,
  StepEntity,
  StepRunEntity,
  AccountEventEntity,
  EnvVarEntity,
  AppRequestEntity,
  ApiTokenEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
];
