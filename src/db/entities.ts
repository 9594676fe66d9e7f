import { AccountSecretEntity } from "../modules/accounts/account-secret.entity";
import { AccountEntity } from "../modules/accounts/account.entity";
import { AuditEventEntity } from "../modules/audit/audit-event.entity";
import { GrantEntity } from "../modules/grants/grant.entity";
import { OAuthClientEntity, OAuthClientHealthEntity } from "../modules/oauth/oauth-client.entity";
import { OAuthFlowEntity } from "../modules/oauth/oauth-flow.entity";
import { StepEntity, StepRunEntity, WorkflowEntity } from "../modules/workflows/workflow.entity";
import { AccountEventEntity } from "../events/event.entity";
import { ApiTokenEntity } from "../modules/api-tokens/api-token.entity";
import { AppRequestEntity } from "../modules/app-requests/app-request.entity";
import { EnvVarEntity } from "../modules/env-vars/env-var.entity";
import { MemberEntity } from "../modules/workspaces/member.entity";
import { WorkspaceEntity } from "../modules/workspaces/workspace.entity";

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
];
