import type { DataSource } from "typeorm";
import type { Principal } from "../auth/principal";
import type { Logger } from "../logging/logger";
import { createLoaders, type Loaders } from "../modules/loaders";
import type { Services } from "../services";

/** What every resolver receives: who is calling, the services, and this request's loaders. */
export interface RequestContext {
  principal: Principal | null;
  services: Services;
  loaders: Loaders;
  logger: Logger;
  requestId: string;
  /** Over WebSocket: the operation subscribes to this workspace (its connection closes if the workspace is deleted). */
  watchWorkspace?(workspaceId: string): void;
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
