/** Who is calling: the identity provider's subject and the claims we show. */
export interface Principal {
  userId: string;
  displayName: string | null;
  email: string | null;
  /** How the caller authenticated; dev tokens exist only outside production. */
  via: "jwt" | "dev-token" | "api-token";
  /** Set when the caller used a personal API token: it acts only in its workspace, within its scope. */
  apiToken?: { id: string; workspaceId: string; scope: "FULL" | "READ_ONLY" | "CREDENTIALS_READ" };
  /** When the credential it authenticated with stops being accepted (epoch ms); absent: it does not expire. A WebSocket connection is closed then. */
  expiresAt?: number;
}

/** Whether the caller may act in a workspace at all: a personal API token only in its own (membership is decided elsewhere). */
export function mayActIn(principal: Principal, workspaceId: string): boolean {
  return principal.apiToken === undefined || principal.apiToken.workspaceId === workspaceId;
}
