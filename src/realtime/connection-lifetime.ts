import type { WebSocket } from "ws";
import type { Principal } from "../auth/principal";
import type { Logger } from "../logging/logger";

/**
 * Close codes this service uses beyond graphql-ws's own (documented in docs/api/events.md): a connection
 * whose credentials stopped being accepted. graphql-ws clients treat 4401 as fatal (no automatic
 * retry with the same token); the client should get a fresh token and reconnect, resuming with
 * `after`.
 */
export const CREDENTIALS_ENDED = 4401;

/**
 * A connection with a subscription to a workspace that is being deleted (documented in
 * docs/api/events.md). Its other subscriptions end with it: the client reconnects and subscribes
 * again to the workspaces it still has (graphql-ws clients retry this code by default).
 */
export const WORKSPACE_DELETED = 4410;

/** The connections subscribed to each workspace, to close them when it is deleted. */
export class WorkspaceSockets {
  private readonly byWorkspace = new Map<string, Set<WebSocket>>();
  private readonly bySocket = new Map<WebSocket, Set<string>>();

  watch(socket: WebSocket, workspaceId: string): void {
    let sockets = this.byWorkspace.get(workspaceId);
    if (!sockets) this.byWorkspace.set(workspaceId, (sockets = new Set()));
    sockets.add(socket);
    let workspaces = this.bySocket.get(socket);
    if (!workspaces) this.bySocket.set(socket, (workspaces = new Set()));
    workspaces.add(workspaceId);
  }

  release(socket: WebSocket): void {
    for (const workspaceId of this.bySocket.get(socket) ?? []) {
      const sockets = this.byWorkspace.get(workspaceId);
      sockets?.delete(socket);
      if (sockets?.size === 0) this.byWorkspace.delete(workspaceId);
    }
    this.bySocket.delete(socket);
  }

  /** The workspace is being deleted: every connection subscribed to it closes with WORKSPACE_DELETED. */
  gone(workspaceId: string): void {
    for (const socket of [...(this.byWorkspace.get(workspaceId) ?? [])]) {
      if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(WORKSPACE_DELETED, "Workspace deleted");
      this.release(socket);
    }
  }

  clear(): void {
    this.byWorkspace.clear();
    this.bySocket.clear();
  }
}

// setTimeout keeps delays in 32 bits: longer ones are re-armed from here.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Ends WebSocket connections when the credentials they were opened with stop being accepted:
 * a JWT (or an API token with an expiry) at its expiry, an API token at once when it is revoked
 * on any instance (a notice through the event bus), and, for the case that notice is lost, at the
 * next periodic re-check of every API token with an open connection (one statement for all).
 */
export class ConnectionLifetimes {
  private readonly timers = new Map<WebSocket, NodeJS.Timeout>();
  private readonly byApiToken = new Map<string, Set<WebSocket>>();
  private readonly recheck: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly stillValid: (apiTokenIds: readonly string[]) => Promise<Set<string>>,
    recheckMs: number,
    private readonly logger: Logger,
  ) {
    this.recheck = setInterval(() => void this.recheckApiTokens(), recheckMs).unref();
  }

  /** Starts watching a connection's credentials; `release` when it closes. */
  track(socket: WebSocket, principal: Principal): void {
    if (principal.expiresAt !== undefined) this.arm(socket, principal.expiresAt);
    const tokenId = principal.apiToken?.id;
    if (tokenId) {
      const sockets = this.byApiToken.get(tokenId) ?? new Set<WebSocket>();
      sockets.add(socket);
      this.byApiToken.set(tokenId, sockets);
    }
  }

  release(socket: WebSocket, principal: Principal | undefined): void {
    const timer = this.timers.get(socket);
    if (timer) clearTimeout(timer);
    this.timers.delete(socket);
    const tokenId = principal?.apiToken?.id;
    const sockets = tokenId ? this.byApiToken.get(tokenId) : undefined;
    if (sockets) {
      sockets.delete(socket);
      if (sockets.size === 0) this.byApiToken.delete(tokenId!);
    }
  }

  /** An API token was revoked (here or on another instance): its connections end now. */
  revoked(apiTokenId: string, reason = "Token revoked"): void {
    for (const socket of this.byApiToken.get(apiTokenId) ?? []) end(socket, reason);
  }

  close(): void {
    clearInterval(this.recheck);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.byApiToken.clear();
  }

  private arm(socket: WebSocket, expiresAt: number): void {
    const delay = expiresAt - Date.now();
    if (delay <= 0) {
      end(socket, "Token expired");
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(socket);
      if (Date.now() >= expiresAt) end(socket, "Token expired");
      else this.arm(socket, expiresAt);
    }, Math.min(delay, MAX_TIMER_MS));
    timer.unref();
    this.timers.set(socket, timer);
  }

  private async recheckApiTokens(): Promise<void> {
    if (this.checking || this.byApiToken.size === 0) return;
    this.checking = true;
    try {
      const ids = [...this.byApiToken.keys()];
      const valid = await this.stillValid(ids);
      for (const id of ids) if (!valid.has(id)) this.revoked(id, "Token no longer accepted");
    } catch (error) {
      // The database is away: keep the connections; the next re-check decides.
      this.logger.warn({ err: { message: (error as Error).message } }, "API token re-check failed");
    } finally {
      this.checking = false;
    }
  }
}

function end(socket: WebSocket, reason: string): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(CREDENTIALS_ENDED, reason);
}
