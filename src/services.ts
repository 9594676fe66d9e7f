import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { loadKeyRing } from "./crypto/key-ring";
import { Sealer } from "./crypto/sealer";
import { AccountService } from "./modules/accounts/account.service";
import { CredentialVault } from "./modules/accounts/credential-vault";
import { loadAppCatalog } from "./modules/apps/app-catalog";
import { AppCatalogService } from "./modules/apps/app-catalog.service";
import { AuditService } from "./modules/audit/audit.service";
import { WorkspaceService } from "./modules/workspaces/workspace.service";

/** The process-wide services resolvers call. */
export interface Services {
  workspaces: WorkspaceService;
  apps: AppCatalogService;
  accounts: AccountService;
  audit: AuditService;
  vault: CredentialVault;
}

/** Wires the services over one data source. */
export function createServices(
  dataSource: DataSource,
  config: Pick<Config, "encryptionKeys" | "devEncryptionKeyPath" | "appBaseUrlOverrides" | "providerTimeoutMs">,
): Services {
  const apps = new AppCatalogService(loadAppCatalog(), config.appBaseUrlOverrides);
  const vault = new CredentialVault(new Sealer(loadKeyRing(config)));
  const audit = new AuditService(dataSource);
  return {
    workspaces: new WorkspaceService(dataSource, audit),
    apps,
    accounts: new AccountService(dataSource, apps, vault, audit, config.providerTimeoutMs),
    audit,
    vault,
  };
}
