import type { DataSource } from "typeorm";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { TokenService } from "../oauth/token.service";
import type { AccountEntity } from "./account.entity";
import type { CredentialVault } from "./credential-vault";

/**
 * The credentials an authorized use of an account needs (a step test, a request through the
 * account): key fields as stored, or, for OAuth, a fresh access token only, never the refresh token.
 */
export class AccountUse {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly vault: CredentialVault,
    private readonly tokens: TokenService,
  ) {}

  /** Credential values to render the app's auth template with. */
  async credentialsFor(account: AccountEntity): Promise<Record<string, string>> {
    const app = this.apps.get(account.appSlug);
    if (app.authType === "OAUTH2") return { oauth_access_token: (await this.tokens.getAccessToken(account.id)).accessToken };
    return this.vault.open(this.dataSource, account);
  }
}
