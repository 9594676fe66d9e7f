import type { DataSource } from "typeorm";
import type { Principal } from "./auth/principal";
import type { Logger } from "./logging/logger";
import type { Services } from "./services";
import { createAccountLoaders, type AccountLoaders } from "./modules/accounts/account.loaders";
import { createWorkspaceLoaders, type WorkspaceLoaders } from "./modules/workspaces/workspace.loaders";
import { createWorkflowLoaders, type WorkflowLoaders } from "./modules/workflows/workflow.loaders";

/** Per-request loaders: batch and cache reads for the duration of one operation. */
export interface Loaders {
  workspaces: WorkspaceLoaders;
  accounts: AccountLoaders;
  workflows: WorkflowLoaders;
}

/** What every resolver receives: who is calling, the services, and this request's loaders. */
export interface RequestContext {
  principal: Principal | null;
  services: Services;
  loaders: Loaders;
  logger: Logger;
  requestId: string;
}

/** Fresh per-request loaders for a caller. */
export function createLoaders(dataSource: DataSource, principal: Principal | null): Loaders {
  return {
    workspaces: createWorkspaceLoaders(dataSource, principal),
    accounts: createAccountLoaders(dataSource),
    workflows: createWorkflowLoaders(dataSource),
  };
}

/** Builds the context of one GraphQL operation. */
export function createRequestContext(
  dataSource: DataSource,
  services: Services,
  principal: Principal | null,
  logger: Logger,
  requestId: string,
): RequestContext {
  // Loaders are made when a resolver first asks: the token fetch, the hottest operation, needs none.
  let loaders: Loaders | undefined;
  return {
    principal,
    services,
    get loaders() {
      return (loaders ??= createLoaders(dataSource, principal));
    },
    logger,
    requestId,
  };
}
