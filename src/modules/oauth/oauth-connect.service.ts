import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Principal } from "../../auth/principal";
import { authorizeAccount } from "../../authz/account-access";
import { isIdentityKnown, subjectOf } from "../../authz/account-subject";
import { resolveAccountViewer } from "../workspaces/account-viewer";
import type { Loaders } from "../loaders";
import type { Sealer } from "../../crypto/sealer";
import { newId } from "../../db/ids";
import { afterCommit, inTransaction } from "../../db/transactions";
import { AppError, badInput, notFound } from "../../errors/app-error";
import { AccountEntity, newAccount } from "../accounts/account.entity";
import type { CredentialVault } from "../accounts/credential-vault";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AppDefinition, ConnectionValues, OAuthSpec } from "../apps/app-definition";
import type { AuditService } from "../audit/audit.service";
import { MemberEntity } from "../workspaces/member.entity";
import { readExternalIdentity } from "./identity";
import { cleanScopes, type OAuthClientService, type ResolvedClient } from "./oauth-client.service";
import { OAuthFlowEntity } from "./oauth-flow.entity";
import type { TokenGrant } from "./token-endpoint";
import type { TokenService } from "./token.service";
import type { EventLog } from "../../events/event-log";
import { cleanName } from "../../validation/text";
import type { DialTarget } from "../apps/app-catalog.service";
import { checkParameters, parseConnection, storeConnection } from "../apps/app-connection";
import { learnValues } from "../proxy/learned-values";
import { metrics } from "../../observability/metrics";

/** Input of startOAuthConnect / startOAuthReconnect. */
export interface StartFlowCommand {
  workspaceId?: string | null;
  appSlug?: string | null;
  accountId?: string | null;
  nickname?: string | null;
  scopes?: string[] | null;
  oauthClientId?: string | null;
  returnUrl?: string | null;
  /** The origin of the page that opens the popup: it must be one the result page posts to. */
  openerOrigin?: string | null;
  /** The app's connection parameters (a shop, a subdomain, a region), for tenant apps. */
  parameters?: ReadonlyArray<{ name: string; value: string }> | null;
}

/** Why a callback ended without an account; shown on the result page with a message. */
export type FlowErrorCode =
  | "STATE_MISSING"
  | "STATE_INVALID"
  | "STATE_EXPIRED"
  | "BROWSER_MISMATCH"
  | "ACCESS_DENIED"
  | "PROVIDER_ERROR"
  | "EXCHANGE_FAILED"
  | "PROVIDER_UNAVAILABLE"
  | "IDENTITY_MISMATCH"
  | "FORBIDDEN";

/** A callback that failed, with a code and a safe message. */
export class FlowError extends Error {
  constructor(
    readonly code: FlowErrorCode,
    message: string,
    readonly returnUrl: string | null = null,
    /** The app of the flow, when the flow was found (for the logs). */
    readonly appSlug: string | null = null,
  ) {
    super(message);
    this.name = "FlowError";
  }
}

/** Settings of the connect flow. */
export interface FlowSettings {
  publicUrl: string;
  stateTtlSec: number;
  returnUrls: readonly string[];
  providerTimeoutMs: number;
}

const FLOW_TABLE = "oauth_flows";
export const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
const randomToken = () => randomBytes(32).toString("base64url");

/** The OAuth connect and reconnect flow, from the member's request to a stored account. */
export class OAuthConnectService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly clients: OAuthClientService,
    private readonly vault: CredentialVault,
    private readonly sealer: Sealer,
    private readonly audit: AuditService,
    private readonly tokens: TokenService,
    private readonly settings: FlowSettings,
    private readonly loadersFor: (principal: Principal) => Loaders,
    private readonly events: EventLog,
  ) {}

  /** The redirect URI to register at providers. */
  get callbackUrl(): string {
    return `${this.settings.publicUrl}/oauth/callback`;
  }

  /**
   * Starts a connect (or, with accountId, a reconnect) and returns the URL the browser opens. The
   * URL is the service's own start page, which binds the flow to that browser with a cookie and
   * sends it to the provider with a fresh state and PKCE challenge.
   */
  async start(principal: Principal, loaders: Loaders, command: StartFlowCommand): Promise<{ flow: OAuthFlowEntity; authorizationUrl: string }> {
    let workspaceId: string;
    let app: AppDefinition;
    let oauthClientId = command.oauthClientId ?? null;
    let nickname: string | null = null;
    let parameters: Record<string, string>;
    if (command.accountId) {
      const account = await this.authorizeReconnect(loaders, command.accountId);
      workspaceId = account.workspaceId;
      app = this.apps.get(account.appSlug);
      oauthClientId = command.oauthClientId ?? account.oauthClientId;
      // A reconnect is to the same tenant: the account's parameters, not new ones.
      if (command.parameters?.length) throw badInput("A reconnect keeps the account's parameters; connect a new account for another one.", "parameters");
      parameters = parseConnection(account.connection).parameters;
    } else {
      if (!command.workspaceId || !command.appSlug) throw badInput("workspaceId and appSlug are required.", "workspaceId");
      workspaceId = command.workspaceId;
      const viewer = await resolveAccountViewer(loaders.workspaces, workspaceId);
      if (!viewer) throw notFound("Workspace");
      app = this.apps.get(command.appSlug);
      nickname = command.nickname?.trim() ? cleanName(command.nickname, "nickname") : app.name;
      parameters = checkParameters(app, command.parameters);
    }
    if (app.authType !== "OAUTH2" || !app.oauth) throw badInput(`${app.name} does not connect with OAuth.`, "appSlug");
    // Refused now, not in the browser: the URLs these parameters make stay on the app's hosts.
    this.apps.urlsFor(app, { parameters, learned: {} }, { partial: true });
    const client = await this.clients.resolve(workspaceId, app, oauthClientId);
    const scopes = cleanScopes(command.scopes ?? client.scopes ?? app.oauth.defaultScopes);
    const returnUrl = command.returnUrl ? this.checkReturnUrl(command.returnUrl) : null;
    if (!returnUrl && command.openerOrigin !== undefined && command.openerOrigin !== null) this.checkOpenerOrigin(command.openerOrigin);
    const membership = await loaders.workspaces.viewerMembership.load(workspaceId);
    const now = new Date();
    const flow = Object.assign(new OAuthFlowEntity(), {
      id: randomToken(),
      stateHash: null,
      bindingHash: null,
      workspaceId,
      memberId: membership!.id,
      userId: principal.userId,
      appSlug: app.slug,
      oauthClientId: client.oauthClientId,
      accountId: command.accountId ?? null,
      nickname,
      scopes: JSON.stringify(scopes),
      codeVerifier: null,
      parameters: Object.keys(parameters).length > 0 ? JSON.stringify(parameters) : null,
      returnUrl,
      expiresAt: new Date(now.getTime() + this.settings.stateTtlSec * 1000),
      createdAt: now,
    });
    await this.dataSource.getRepository(OAuthFlowEntity).insert(flow);
    await this.pruneExpired();
    return { flow, authorizationUrl: `${this.settings.publicUrl}/oauth/start?flow=${flow.id}` };
  }

  /** The flow a start URL names, if it is still unstarted and unexpired. */
  async findStartable(flowId: string): Promise<{ flow: OAuthFlowEntity; app: AppDefinition; client: ResolvedClient; oauth: OAuthSpec }> {
    const flow = await this.dataSource.getRepository(OAuthFlowEntity).findOneBy({ id: flowId });
    if (!flow || flow.stateHash !== null) throw new FlowError("STATE_INVALID", "This sign-in link is not valid (or was already used).");
    if (flow.expiresAt.getTime() < Date.now()) throw new FlowError("STATE_EXPIRED", "This sign-in link has expired; start again.", flow.returnUrl);
    return { flow, ...(await this.providerOf(flow)) };
  }

  /** The catalog name of a flow's app (for the result page), or null when the catalog no longer has it. */
  appName(appSlug: string): string | null {
    return this.apps.find(appSlug)?.name ?? null;
  }

  /** The app, client and endpoints a flow talks to (the authorize and token URLs of its parameters). */
  async providerOf(flow: OAuthFlowEntity): Promise<{ app: AppDefinition; client: ResolvedClient; oauth: OAuthSpec }> {
    const app = this.apps.get(flow.appSlug);
    const oauth = this.apps.urlsFor(app, { parameters: flowParameters(flow), learned: {} }, { partial: true }).oauth!;
    return { app, client: await this.clients.resolve(flow.workspaceId, app, flow.oauthClientId), oauth };
  }

  /** Where an outbound call to an app's (checked) URL really goes (tests: a loopback stand-in). */
  dial(url: string): DialTarget {
    return this.apps.dial(url);
  }

  /**
   * Records the state and browser binding of a flow the browser just started; a flow starts once.
   * Returns the binding cookie value.
   */
  async bindState(flow: OAuthFlowEntity, state: string, verifier: string | undefined): Promise<string> {
    const binding = randomToken();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(OAuthFlowEntity)
      .set({
        stateHash: sha256(state),
        bindingHash: sha256(binding),
        codeVerifier: verifier ? this.sealer.seal(verifier, this.verifierContext(flow)) : null,
      })
      .where("id = :id AND state_hash IS NULL", { id: flow.id })
      .execute();
    if (!result.affected) throw new FlowError("STATE_INVALID", "This sign-in link was already used.");
    return binding;
  }

  /**
   * Consumes the flow a callback's state names: it must exist, be unexpired, have been started by
   * this browser (binding cookie), and not have been used; it is deleted on first use, so a
   * replayed callback finds nothing. Returns the flow and its opened PKCE verifier.
   */
  async consume(state: string | undefined, bindingCookie: string | undefined): Promise<{ flow: OAuthFlowEntity; verifier: string | null }> {
    if (!state) throw new FlowError("STATE_MISSING", "The provider's answer carries no state; start again.");
    const repo = this.dataSource.getRepository(OAuthFlowEntity);
    const flow = await repo.findOneBy({ stateHash: sha256(state) });
    if (!flow) throw new FlowError("STATE_INVALID", "This sign-in answer is not valid or was already used; start again.");
    if (flow.expiresAt.getTime() < Date.now()) {
      await repo.delete({ id: flow.id });
      throw new FlowError("STATE_EXPIRED", "This sign-in took too long; start again.", flow.returnUrl, flow.appSlug);
    }
    if (!bindingCookie || sha256(bindingCookie) !== flow.bindingHash) {
      throw new FlowError("BROWSER_MISMATCH", "This sign-in was started in another browser or by another member.", flow.returnUrl, flow.appSlug);
    }
    const deleted = await repo.delete({ id: flow.id, stateHash: flow.stateHash! });
    if (!deleted.affected) throw new FlowError("STATE_INVALID", "This sign-in answer was already used; start again.");
    const verifier = flow.codeVerifier ? this.sealer.open(flow.codeVerifier, this.verifierContext(flow)) : null;
    return { flow, verifier };
  }

  /**
   * Finishes a flow with the tokens the provider granted: reads the external identity, then
   * creates a private account owned by the member who started it, or reconnects (or claims) the
   * account the flow names, refusing a different identity.
   */
  async complete(flow: OAuthFlowEntity, grant: TokenGrant, callback: Readonly<Record<string, string>> = {}): Promise<{ account: AccountEntity; claimed: boolean }> {
    const app = this.apps.get(flow.appSlug);
    const parameters = flowParameters(flow);
    // What the provider tells of this connection (an instance URL, a data centre, a cloud id),
    // checked before anything is stored or called with it.
    let connection: ConnectionValues;
    let oauth: OAuthSpec;
    try {
      const learned = await learnValues(app, { tokenAnswer: grant.fields, callback, credentials: { oauth_access_token: grant.accessToken } }, parameters, this.settings.providerTimeoutMs, { dial: (url) => this.apps.dial(url), resolve: (template, values, field) => this.apps.resolveUrl(app, template, values, field) });
      connection = { parameters, learned };
      oauth = this.apps.urlsFor(app, connection).oauth!;
    } catch (error) {
      if (error instanceof AppError) throw new FlowError("PROVIDER_ERROR", error.message, flow.returnUrl);
      throw error;
    }
    const identity = await readExternalIdentity(app, oauth, connection, grant.accessToken, grant.idToken, this.settings.providerTimeoutMs, (url) => this.apps.dial(url));
    const requested = JSON.parse(flow.scopes) as string[];
    const scopes = grant.scopes ?? requested;
    const values: Record<string, string> = { oauth_access_token: grant.accessToken };
    if (grant.refreshToken) values.oauth_refresh_token = grant.refreshToken;
    const now = new Date();
    const actor = { userId: flow.userId, memberId: flow.memberId };
    const member = await this.dataSource.getRepository(MemberEntity).findOneBy({ id: flow.memberId, workspaceId: flow.workspaceId });
    if (!member) throw new FlowError("FORBIDDEN", "You are no longer a member of this workspace.", flow.returnUrl);

    if (!flow.accountId) {
      const account = newAccount({
        id: newId(),
        workspaceId: flow.workspaceId,
        appSlug: app.slug,
        nickname: flow.nickname ?? app.name,
        ownerMemberId: flow.memberId,
        scopes: JSON.stringify(scopes),
        externalId: identity.id,
        externalName: identity.name,
        oauthClientId: flow.oauthClientId,
        connection: storeConnection(connection),
        expiresAt: grant.expiresAt,
        lastRefreshedAt: now,
        nextRefreshAt: this.tokens.nextRefreshAt(grant.expiresAt, now),
        createdAt: now,
      });
      await inTransaction(this.dataSource, async (manager) => {
        await this.events.lockFor(manager, account.workspaceId);
        await manager.insert(AccountEntity, account);
        await this.vault.store(manager, account, values, { replace: false });
        await this.audit.record(manager, account.workspaceId, actor, "ACCOUNT_CONNECTED", account.id, {
          appSlug: app.slug,
          nickname: account.nickname,
          scopes,
        });
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_CONNECTED", accountId: account.id, details: { appSlug: app.slug } }]);
      });
      return { account, claimed: false };
    }

    // Reconnect: permissions may have changed since the flow started, so check again.
    const loaders = this.loadersFor({ userId: flow.userId, displayName: null, email: null, via: "jwt" });
    let account: AccountEntity;
    try {
      account = await this.authorizeReconnect(loaders, flow.accountId);
    } catch (error) {
      if (error instanceof AppError) throw new FlowError("FORBIDDEN", error.message, flow.returnUrl);
      throw error;
    }
    // The same account at the provider, or nothing changes: a reconnect must never swap the
    // identity every step using this account acts as (and a legacy claim proves ownership this way).
    if (account.externalId && identity.id !== account.externalId) {
      throw new FlowError(
        "IDENTITY_MISMATCH",
        "You signed in as a different account at the provider than the one this connection holds; nothing was changed.",
        flow.returnUrl,
      );
    }
    const claimed = account.ownerMemberId === null;
    const previous = JSON.parse(account.scopes) as string[];
    const added = scopes.filter((s) => !previous.includes(s));
    const removed = previous.filter((s) => !scopes.includes(s));
    await inTransaction(this.dataSource, async (manager) => {
      if (added.length || removed.length || account.healthStatus !== "HEALTHY") await this.events.lockFor(manager, account.workspaceId);
      if (account.healthStatus !== "HEALTHY") afterCommit(manager, () => metrics.healthChanged("HEALTHY", account.appSlug));
      const result = await manager.update(
        AccountEntity,
        { id: account.id, version: account.version },
        {
          ownerMemberId: claimed ? flow.memberId : account.ownerMemberId,
          oauthClientId: flow.oauthClientId,
          scopes: JSON.stringify(scopes),
          connection: storeConnection(connection),
          externalId: identity.id ?? account.externalId,
          externalName: identity.name ?? account.externalName,
          healthStatus: "HEALTHY",
          lastError: null,
          refreshFailures: 0,
          refreshStartedAt: null,
          expiresAt: grant.expiresAt,
          lastRefreshedAt: now,
          nextRefreshAt: this.tokens.nextRefreshAt(grant.expiresAt, now),
          connectedAt: now,
          version: account.version + 1,
          updatedAt: now,
        },
      );
      if (!result.affected) throw new FlowError("PROVIDER_UNAVAILABLE", "The account changed meanwhile; try again.", flow.returnUrl);
      await this.vault.store(manager, account, values);
      await this.audit.record(manager, account.workspaceId, actor, claimed ? "ACCOUNT_CLAIMED" : "ACCOUNT_RECONNECTED", account.id, {});
      if (account.healthStatus !== "HEALTHY") {
        await this.audit.record(manager, account.workspaceId, actor, "ACCOUNT_HEALTH_CHANGED", account.id, {
          from: account.healthStatus,
          to: "HEALTHY",
          reason: "reconnected",
        });
      }
      if (added.length || removed.length) {
        await this.audit.record(manager, account.workspaceId, actor, "ACCOUNT_SCOPES_CHANGED", account.id, { added, removed });
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_SCOPES_CHANGED", accountId: account.id, details: { added, removed } }]);
      }
      if (account.healthStatus !== "HEALTHY") {
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_RECOVERED", accountId: account.id, details: { from: account.healthStatus } }]);
      }
    });
    const updated = await this.dataSource.getRepository(AccountEntity).findOneByOrFail({ id: account.id });
    return { account: updated, claimed };
  }

  /**
   * The allowed return URL, or BAD_USER_INPUT. An entry of OAUTH_RETURN_URLS allows its own origin
   * and its path with what lies below it, segment by segment: `https://app.example.com/done`
   * allows `/done` and `/done/x?y`, never `/donex` nor `https://app.example.com.evil.test`.
   */
  checkReturnUrl(returnUrl: string): string {
    let parsed: URL;
    try {
      parsed = new URL(returnUrl);
    } catch {
      throw badInput("returnUrl is not a URL.", "returnUrl");
    }
    const allowed = this.settings.returnUrls.some((prefix) => isUnder(parsed, new URL(prefix)));
    if (!allowed || parsed.username || parsed.password) throw badInput("returnUrl is not on the allow-list (OAUTH_RETURN_URLS).", "returnUrl");
    return parsed.href;
  }

  /** An opener origin the result page posts to, or BAD_USER_INPUT saying which setting decides. */
  checkOpenerOrigin(openerOrigin: string): void {
    let origin: string;
    try {
      origin = new URL(openerOrigin).origin;
    } catch {
      throw badInput("openerOrigin is not an origin (e.g. https://app.example.com).", "openerOrigin");
    }
    if (origin === "null" || origin !== openerOrigin.replace(/\/+$/, "")) throw badInput("openerOrigin must be an origin only: scheme, host and port (e.g. https://app.example.com).", "openerOrigin");
    if (!this.messageOrigins.includes(origin)) {
      throw badInput(
        this.messageOrigins.length === 0
          ? "The popup cannot tell any page the result: the service has no allowed origins (set OAUTH_RETURN_URLS)."
          : `The popup cannot tell ${origin} the result: it is not an origin of OAUTH_RETURN_URLS.`,
        "openerOrigin",
      );
    }
  }

  /** Origins the popup result page may post its message to. */
  get messageOrigins(): string[] {
    return [...new Set(this.settings.returnUrls.map((u) => new URL(u).origin))];
  }

  private async authorizeReconnect(loaders: Loaders, accountId: string): Promise<AccountEntity> {
    const account = await loaders.accounts.accountById.load(accountId);
    if (!account) throw notFound("Account");
    const [viewer, grants] = await Promise.all([
      resolveAccountViewer(loaders.workspaces, account.workspaceId),
      loaders.accounts.grantsByAccount.load(account.id),
    ]);
    authorizeAccount(viewer, subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grants), "reconnect");
    return account;
  }

  private verifierContext(flow: OAuthFlowEntity) {
    return { workspaceId: flow.workspaceId, table: FLOW_TABLE, rowId: flow.id, field: "code_verifier" };
  }

  // Expired, never-finished flows are deleted opportunistically (they hold sealed verifiers).
  private async pruneExpired(): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OAuthFlowEntity)
      .where("expires_at < :cutoff", { cutoff: new Date(Date.now() - 60_000) })
      .execute();
  }
}

// Whether `url` lies under `prefix`: the same origin, and the prefix's path as whole segments.
function isUnder(url: URL, prefix: URL): boolean {
  if (url.origin !== prefix.origin) return false;
  const base = prefix.pathname.replace(/\/+$/, "");
  if (!(url.pathname === base || url.pathname.startsWith(`${base}/`) || (base === "" && url.pathname === "/"))) return false;
  // A prefix that names a query or fragment allows only URLs that carry exactly that one.
  return (!prefix.search || url.search === prefix.search) && (!prefix.hash || url.hash === prefix.hash);
}

// The connection parameters a flow was started with.
function flowParameters(flow: OAuthFlowEntity): Record<string, string> {
  return flow.parameters ? (JSON.parse(flow.parameters) as Record<string, string>) : {};
}
