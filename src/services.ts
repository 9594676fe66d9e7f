import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { loadKeyRing } from "./crypto/key-ring";
import { Sealer } from "./crypto/sealer";
import { AccountService } from "./modules/accounts/account.service";
import { CredentialVault } from "./modules/accounts/credential-vault";
import { loadAppCatalog, withExtraApps } from "./modules/apps/app-catalog";
import { AppCatalogService } from "./modules/apps/app-catalog.service";
import { AuditService } from "./modules/audit/audit.service";
import { WorkspaceService } from "./modules/workspaces/workspace.service";
import { OAuthClientService } from "./modules/oauth/oauth-client.service";
import { OAuthConnectService } from "./modules/oauth/oauth-connect.service";
import { TokenService } from "./modules/oauth/token.service";
import { OAuthRevoker } from "./modules/oauth/revocation";
import { WorkflowService } from "./modules/workflows/workflow.service";
import { EventLog } from "./events/event-log";
import type { EventBus } from "./events/event-bus";
import { CredentialAccessService } from "./modules/credentials/credential-access.service";
import { ApiTokenService } from "./modules/api-tokens/api-token.service";
import { EnvVarService } from "./modules/env-vars/env-var.service";
import { AppRequestService } from "./modules/app-requests/app-request.service";
import { createLoaders } from "./modules/loaders";
import { WebhookService } from "./modules/webhooks/webhook.service";
import type { Logger } from "./logging/logger";
import { WorkspaceDeletionService } from "./modules/lifecycle/workspace-deletion.service";
import { WorkspaceExportService } from "./modules/lifecycle/workspace-export.service";

/** The process-wide services resolvers call. */
export interface Services {
  workspaces: WorkspaceService;
  apps: AppCatalogService;
  accounts: AccountService;
  audit: AuditService;
  vault: CredentialVault;
  oauthClients: OAuthClientService;
  oauth: OAuthConnectService;
  tokens: TokenService;
  workflows: WorkflowService;
  events: EventLog;
  bus: EventBus;
  envVars: EnvVarService;
  appRequests: AppRequestService;
  /** CIDR ranges calls to apps come from (EGRESS_IP_RANGES), for users to allow-list. */
  egressIpRanges: readonly string[];
  credentials: CredentialAccessService;
  apiTokens: ApiTokenService;
  webhooks: WebhookService;
  /** Deleting workspaces (deleteWorkspace, the operator's command, and finishing interrupted ones). */
  deletions: WorkspaceDeletionService;
  exports: WorkspaceExportService;
}

/** Wires the services over one data source. */
export function createServices(
  dataSource: DataSource,
  config: Config,
  logger: Logger,
  bus: EventBus,
): Services {
  const events = new EventLog(dataSource, bus, config.realtime.eventPollMs);
  const catalog = config.appCatalogExtraFile
    ? withExtraApps(loadAppCatalog(), config.appCatalogExtraFile, { allowLoopbackHttp: !config.production })
    : loadAppCatalog();
  const apps = new AppCatalogService(catalog, {
    baseUrlOverrides: config.appBaseUrlOverrides,
    hostOverrides: config.appHostOverrides,
    allowLoopbackHttp: !config.production,
  });
  const sealer = new Sealer(loadKeyRing(config));
  const vault = new CredentialVault(sealer);
  const audit = new AuditService(dataSource, logger);
  const workspaces = new WorkspaceService(dataSource, audit);
  const oauthClients = new OAuthClientService(dataSource, apps, workspaces, sealer, config.oauth.clients);
  const tokens = new TokenService(dataSource, apps, vault, oauthClients, audit, { ...config.oauth, providerTimeoutMs: config.providerTimeoutMs }, logger, events);
  const oauth = new OAuthConnectService(
    dataSource,
    apps,
    oauthClients,
    vault,
    sealer,
    audit,
    tokens,
    { ...config.oauth, providerTimeoutMs: config.providerTimeoutMs },
    (principal) => createLoaders(dataSource, principal),
    events,
  );
  const revoker = new OAuthRevoker(apps, oauthClients, config.providerTimeoutMs, logger);
  const accounts = new AccountService(dataSource, apps, vault, audit, config.providerTimeoutMs, events, revoker);
  const credentials = new CredentialAccessService(dataSource, apps, vault, tokens, audit, config.providerTimeoutMs);
  const envVars = new EnvVarService(dataSource, workspaces, sealer);
  const workflows = new WorkflowService(dataSource, apps, credentials, config.providerTimeoutMs, envVars);
  // An account's deletion leaves its steps in place, marked: the workflows module's part of it.
  accounts.onDelete((manager, accountId) => workflows.detachAccount(manager, accountId));
  const webhooks = new WebhookService(dataSource, workspaces, sealer, audit, events, config.webhooks);
  return {
    workspaces,
    apps,
    accounts,
    audit,
    vault,
    oauthClients,
    oauth,
    tokens,
    workflows,
    events,
    bus,
    envVars,
    appRequests: new AppRequestService(dataSource, apps, workspaces),
    egressIpRanges: config.egressIpRanges,
    credentials,
    apiTokens: new ApiTokenService(dataSource, workspaces, (id) => bus.publishRevoked(id)),
    webhooks,
    deletions: new WorkspaceDeletionService(dataSource, workspaces, apps, vault, revoker, webhooks, bus, config.deletion, logger),
    exports: new WorkspaceExportService(dataSource),
  };
}
