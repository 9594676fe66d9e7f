import type { DataSource } from "typeorm";
import { loadAppCatalog } from "./modules/apps/app-catalog";
import { AppCatalogService } from "./modules/apps/app-catalog.service";
import { WorkspaceService } from "./modules/workspaces/workspace.service";

/** The process-wide services resolvers call. */
export interface Services {
  workspaces: WorkspaceService;
  apps: AppCatalogService;
}

/** Wires the services over one data source. */
export function createServices(dataSource: DataSource): Services {
  return {
    workspaces: new WorkspaceService(dataSource),
    apps: new AppCatalogService(loadAppCatalog()),
  };
}
