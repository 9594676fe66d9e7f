import type { Principal } from "../../auth/principal";
import { authorizeAccount } from "../../authz/account-access";
import { notFound } from "../../errors/app-error";
import { metrics } from "../../observability/metrics";
import type { DataSource } from "typeorm";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AuditService } from "../audit/audit.service";
import type { TokenService } from "../oauth/token.service";
import { sendAppRequest, type AppRequestInput, type AppResponse } from "../proxy/proxy-request";
import { AccountEntity } from "../accounts/account.entity";
import type { CredentialVault, SealedField } from "../accounts/credential-vault";
import { CredentialReadQuery, type CredentialAccount } from "./credential-read.query";
import { parseConnection } from "../apps/app-connection";

const OWNER_OAUTH_FIELDS: ReadonlySet<string> = new Set(["oauth_access_token", "oauth_refresh_token"]);
const MEMBER_OAUTH_FIELDS: ReadonlySet<string> = new Set(["oauth_access_token"]);

/** An account's credentials as an authorized caller receives them. */
export interface CredentialRead {
  account: CredentialAccount;
  fields: Record<string, string>;
  expiresAt: Date | null;
}

/**
 * The two ways code outside the service uses an account: reading its credentials (with a fresh
 * access token; the refresh token only for the owner), and sending a request through it without
 * ever seeing them. Both need "read credentials" on the account (SPEC §3) and are audited.
 */
export class CredentialAccessService {
  private readonly reads: CredentialReadQuery;

  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly vault: CredentialVault,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly requestTimeoutMs: number,
  ) {
    this.reads = new CredentialReadQuery(dataSource);
  }

  /**
   * The account's credentials, with a fresh access token for OAuth accounts (and, for its owner
   * only, the refresh token). Audited.
   */
  async read(principal: Principal, accountId: string, via: "graphql" | "rest"): Promise<CredentialRead> {
    const { account, viewer, fields, expiresAt, refreshed } = await this.usable(principal, accountId, "read");
    metrics.credentialRead(account.appSlug, refreshed ? "refreshed" : "fresh");
    await this.audit.recordRead(account.workspaceId, { userId: principal.userId, memberId: viewer.memberId }, "ACCOUNT_CREDENTIALS_READ", account.id, {
      via,
      apiToken: principal.apiToken?.id ?? null,
      fields: Object.keys(fields),
    });
    return { account, fields, expiresAt };
  }

  /**
   * Sends a request to the account's app with its auth added by the service. An OAuth app that
   * answers 401 gets one forced refresh and one retry (the token may have been revoked early).
   */
  async send(principal: Principal, accountId: string, request: AppRequestInput): Promise<AppResponse> {
    const { account, viewer, fields, app } = await this.usable(principal, accountId, "use");
    const limits = { timeoutMs: this.requestTimeoutMs, maxRequestBytes: 1024 * 1024, maxResponseBytes: 5 * 1024 * 1024 };
    // The connection's own API (a tenant's host), its URL checked against the app's hosts.
    const connection = parseConnection(account.connection);
    const apiBaseUrl = this.apps.apiBaseUrl(app, connection);
    const options = { connection, dial: (url: string) => this.apps.dial(url) };
    let response = await sendAppRequest(app, apiBaseUrl, fields, request, limits, options);
    if (response.status === 401 && app.authType === "OAUTH2") {
      const fresh = await this.tokens.refresh(account.id, "force");
      response = await sendAppRequest(app, apiBaseUrl, { oauth_access_token: fresh.accessToken }, request, limits, options);
    }
    await this.audit.recordRead(account.workspaceId, { userId: principal.userId, memberId: viewer.memberId }, "ACCOUNT_REQUEST_SENT", account.id, {
      method: request.method.toUpperCase(),
      status: response.status,
    });
    return response;
  }

  /**
   * The hot path of both: one statement reads what authorization needs and the sealed fields
   * together ("read credentials" is the matrix row for both), so a fresh token costs one SELECT
   * and no write (audit entries are batched). Only a token that is due goes through the token
   * service (refresh under the lease). `use` never includes the refresh token; `read` does for
   * the account's owner only.
   */
  private async usable(principal: Principal, accountId: string, purpose: "read" | "use") {
    const facts = await this.reads.load(principal, accountId);
    if (!facts) {
      if (purpose === "read") metrics.credentialRead("", "refused");
      throw notFound("Account");
    }
    try {
      authorizeAccount(facts.viewer, facts.subject, "readCredentials");
      const viewer = facts.viewer!;
      const withRefreshToken = purpose === "read" && facts.account.ownerMemberId === viewer.memberId;
      const app = this.apps.get(facts.account.appSlug);
      return { viewer, app, ...(await this.fieldsOf(facts.account, facts.sealed, withRefreshToken)) };
    } catch (error) {
      // Not allowed, or no usable token to be had (the account needs reconnecting, the provider is down).
      if (purpose === "read") metrics.credentialRead(facts.account.appSlug, "refused");
      throw error;
    }
  }

  /**
   * The credential values to run something with, for an account already authorized (a step test
   * checks "test steps" itself): key fields as stored, or for OAuth a usable access token only.
   */
  async credentialsFor(account: AccountEntity): Promise<Record<string, string>> {
    return (await this.fieldsOf(account, null, false)).fields;
  }

  /**
   * The one place an account's credentials become usable. Key-based: its fields as stored.
   * OAuth: the stored access token while it is fresh, or still valid while a refresh runs in the
   * background (nobody waits for it); otherwise the token a refresh gives now. The refresh token
   * only when asked (its owner's read). `sealed`: the fields already read with the account (the
   * token fetch's one statement), or null to read them.
   */
  private async fieldsOf(account: CredentialAccount, sealed: SealedField[] | null, withRefreshToken: boolean) {
    const app = this.apps.get(account.appSlug);
    const open = (only?: ReadonlySet<string>) =>
      sealed ? Promise.resolve(this.vault.openSealed(account, sealed, only)) : this.vault.open(this.dataSource, account).then((all) => (only ? pick(all, only) : all));
    if (app.authType !== "OAUTH2") return { account, fields: await open(), expiresAt: account.expiresAt, refreshed: false };
    const fresh = this.tokens.isFresh(account);
    if (fresh || this.tokens.isStillValid(account)) {
      const fields = await open(withRefreshToken ? OWNER_OAUTH_FIELDS : MEMBER_OAUTH_FIELDS);
      if (fields.oauth_access_token) {
        if (!fresh) this.tokens.refreshAhead(account);
        return { account, fields, expiresAt: account.expiresAt, refreshed: false };
      }
    }
    const refreshed = await this.tokens.getAccessToken(account.id);
    const fields: Record<string, string> = { oauth_access_token: refreshed.accessToken };
    // The account as the refresh left it (health, expiry), not as it was read before.
    const current: CredentialAccount = (await this.dataSource.getRepository(AccountEntity).findOneBy({ id: account.id })) ?? account;
    if (withRefreshToken) {
      const stored = await this.vault.open(this.dataSource, current);
      if (stored.oauth_refresh_token) fields.oauth_refresh_token = stored.oauth_refresh_token;
    }
    return { account: current, fields, expiresAt: refreshed.expiresAt, refreshed: true };
  }
}

function pick(values: Record<string, string>, only: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([name]) => only.has(name)));
}
