import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import { createAccountLoaders, type AccountLoaders } from "./accounts/account.loaders";
import { createWorkflowLoaders, type WorkflowLoaders } from "./workflows/workflow.loaders";
import { createWorkspaceLoaders, type WorkspaceLoaders } from "./workspaces/workspace.loaders";

/** Per-request loaders: batch and cache reads for the duration of one operation. */
export interface Loaders {
  workspaces: WorkspaceLoaders;
  accounts: AccountLoaders;
  workflows: WorkflowLoaders;
}

/** Fresh per-request loaders for a caller. */
export function createLoaders(dataSource: DataSource, principal: Principal | null): Loaders {
  return {
    workspaces: createWorkspaceLoaders(dataSource, principal),
    accounts: createAccountLoaders(dataSource),
    workflows: createWorkflowLoaders(dataSource),
  };
}
