import type { Logger } from "../../logging/logger";
import type { AccountEntity } from "../accounts/account.entity";
import type { AppCatalogService } from "../apps/app-catalog.service";
import { parseConnection } from "../apps/app-connection";
import type { OAuthClientService } from "./oauth-client.service";
import { observeProviderCall } from "../../observability/provider-calls";

/**
 * Revokes a deleted account's grant at the provider (RFC 7009), where the app has a revocation
 * endpoint: best effort, after the account is gone locally, within the provider deadline. The
 * refresh token is revoked when there is one (that ends the whole grant), else the access token.
 */
export class OAuthRevoker {
  constructor(
    private readonly apps: AppCatalogService,
    private readonly clients: OAuthClientService,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  /** Sends the revocation; never throws (the account is already deleted). Resolves to whether the provider accepted it. */
  async revoke(account: AccountEntity, credentials: Readonly<Record<string, string>>): Promise<boolean> {
    const app = this.apps.find(account.appSlug);
    const token = credentials.oauth_refresh_token ?? credentials.oauth_access_token;
    if (!app?.oauth?.revocationUrl || !token) return false;
    try {
      // The connection's own revocation endpoint (a tenant's host), checked like every URL of it.
      const url = this.apps.urlsFor(app, parseConnection(account.connection)).oauth?.revocationUrl;
      if (!url) return false;
      const target = this.apps.dial(url);
      const client = await this.clients.resolve(account.workspaceId, app, account.oauthClientId);
      const body = new URLSearchParams({ token, token_type_hint: credentials.oauth_refresh_token ? "refresh_token" : "access_token" });
      const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...target.headers };
      if (app.oauth.tokenAuthMethod === "client_secret_basic") {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64")}`;
      } else {
        body.set("client_id", client.clientId);
        body.set("client_secret", client.clientSecret);
      }
      const response = await observeProviderCall(
        app.slug,
        "revocation",
        () => fetch(target.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(this.timeoutMs) }),
        (r) => r.ok,
      );
      if (!response.ok) this.logger.warn({ accountId: account.id, status: response.status }, "provider refused the revocation");
      return response.ok;
    } catch (error) {
      this.logger.warn({ accountId: account.id, err: { message: (error as Error).message } }, "revocation at the provider failed");
      return false;
    }
  }
}
