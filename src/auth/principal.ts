/** Who is calling: the identity provider's subject and the claims we show. */
export interface Principal {
  userId: string;
  displayName: string | null;
  email: string | null;
  /** How the caller authenticated; dev tokens exist only outside production. */
  via: "jwt" | "dev-token";
}
