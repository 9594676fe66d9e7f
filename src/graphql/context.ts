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

/**
 * One operation's context. A class with the lazy `loaders` on its prototype: an object literal
 * with its own getter is built slowly on every request, and the token fetch (the hottest
 * operation) needs no loaders at all.
 */
class OperationContext implements RequestContext {
  private made: Loaders | undefined;

  constructor(
    private readonly dataSource: DataSource,
    readonly services: Services,
    readonly principal: Principal | null,
    readonly logger: Logger,
    readonly requestId: string,
  ) {}

  get loaders(): Loaders {
    return (this.made ??= createLoaders(this.dataSource, this.principal));
  }
}

/** Builds the context of one GraphQL operation. */
export function createRequestContext(
  dataSource: DataSource,
  services: Services,
  principal: Principal | null,
  logger: Logger,
  requestId: string,
): RequestContext {
  return new OperationContext(dataSource, services, principal, logger, requestId);
}
