/** Who is calling: the identity provider's subject and the claims we show. */
export interface Principal {
  userId: string;
  displayName: string | null;
  email: string | null;
  /** How the caller authenticated; dev tokens exist only outside production. */
  via: "jwt" | "dev-token" | "api-token";
  /** Set when the caller used a personal API token: it acts only in its workspace, within its scope. */
  apiToken?: { id: string; workspaceId: string; scope: "FULL" | "READ_ONLY" | "CREDENTIALS_READ" };
}
