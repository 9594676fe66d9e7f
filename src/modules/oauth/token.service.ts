import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { inTransaction } from "../../db/transactions";
import { AppError, providerUnavailable } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { AccountEntity, type HealthStatus } from "../accounts/account.entity";
import type { CredentialVault } from "../accounts/credential-vault";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AuditService } from "../audit/audit.service";
import type { OAuthClientService } from "./oauth-client.service";
import { callTokenEndpoint, TokenEndpointError, type TokenGrant } from "./token-endpoint";
import type { EventLog } from "../../events/event-log";

/** A usable access token. */
export interface FreshToken {
  accessToken: string;
  expiresAt: Date | null;
}

/** Timing settings of token freshness. */
export interface TokenSettings {
  providerTimeoutMs: number;
  leaseMs: number;
  refreshAheadSec: number;
  fallbackLifetimeSec: number;
  authFailureThreshold: number;
}

/**
 * Why a refresh runs: on use (skip when the token is still fresh), due (the background refresher:
 * skip when another instance already moved next_refresh_at), or forced (the app just refused the
 * token; always refresh).
 */
export type RefreshMode = "onUse" | "due" | "force";

/** Who asked: a person (audited by the caller) or the service itself (background refresher, step tests). */
const SYSTEM_ACTOR = { userId: "system", memberId: null };

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 15 * 60 * 1000;
const LEASE_POLL_MS = 50;

/** Exponential backoff with full jitter: a random wait in [base·2^(n-1)/2, base·2^(n-1)], capped. */
export function backoffMs(failures: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Fresh access tokens. A token valid for a while yet is returned as stored; otherwise one refresh
 * runs per account at a time across every instance: callers in this process share one promise,
 * and instances coordinate through a lease on the account row (owner + expiry). The holder
 * re-reads the account after taking the lease (another instance may just have refreshed), calls
 * the provider with a deadline shorter than the lease and with no transaction open, then writes
 * the new tokens conditionally on still holding the lease. Failures are classified (SPEC §4).
 */
export class TokenService {
  private readonly inflight = new Map<string, Promise<FreshToken>>();
  /** This process's lease-owner identity. */
  readonly instanceId = randomUUID();

  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly vault: CredentialVault,
    private readonly clients: OAuthClientService,
    private readonly audit: AuditService,
    private readonly settings: TokenSettings,
    private readonly logger: Logger,
    private readonly events: EventLog,
  ) {}

  /**
   * A usable access token for an OAuth account (the caller has authorized the request). Refreshes
   * when the stored one is expired or within the refresh-ahead window.
   */
  async getAccessToken(accountId: string): Promise<FreshToken> {
    const account = await this.load(accountId);
    if (account && this.isFresh(account)) {
      const values = await this.vault.open(this.dataSource, account);
      if (values.oauth_access_token) return { accessToken: values.oauth_access_token, expiresAt: account.expiresAt };
    }
    return this.refresh(accountId, "onUse");
  }

  /** Refreshes an account's token under the lease (shared with concurrent callers in this process). */
  refresh(accountId: string, mode: RefreshMode): Promise<FreshToken> {
    const running = this.inflight.get(accountId);
    if (running) return running;
    const work = this.refreshUnderLease(accountId, mode).finally(() => this.inflight.delete(accountId));
    this.inflight.set(accountId, work);
    return work;
  }

  /** Whether the stored token is valid beyond the refresh-ahead window (unknown expiry: until next_refresh_at). */
  isFresh(account: Pick<AccountEntity, "expiresAt" | "nextRefreshAt">, now = Date.now()): boolean {
    if (account.expiresAt) return account.expiresAt.getTime() - now > this.settings.refreshAheadSec * 1000;
    return account.nextRefreshAt === null || account.nextRefreshAt.getTime() > now;
  }

  private async load(accountId: string): Promise<AccountEntity | null> {
    return this.dataSource.getRepository(AccountEntity).findOneBy({ id: accountId });
  }

  // Whether the work a refresh of this mode would do has been done by someone else already.
  private isSatisfied(account: AccountEntity, mode: RefreshMode, now = Date.now()): boolean {
    if (mode === "onUse") return this.isFresh(account, now);
    if (mode === "due") return account.nextRefreshAt !== null && account.nextRefreshAt.getTime() > now;
    return false;
  }

  private async refreshUnderLease(accountId: string, mode: RefreshMode): Promise<FreshToken> {
    const startedVersion = (await this.load(accountId))?.version;
    const giveUpAt = Date.now() + this.settings.leaseMs + this.settings.providerTimeoutMs;
    for (;;) {
      if (await this.takeLease(accountId)) {
        try {
          return await this.refreshHoldingLease(accountId, mode);
        } finally {
          await this.releaseLease(accountId);
        }
      }
      // Someone else is refreshing: wait for their result (or for their lease to lapse).
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS + Math.random() * LEASE_POLL_MS));
      const account = await this.load(accountId);
      if (!account) throw new AppError("NOT_FOUND", "Account not found.");
      // Done by the lease holder: a fresh token, or (forced) any token newer than the refused one.
      if (this.isSatisfied(account, mode) || (mode === "force" && account.version !== startedVersion)) {
        const values = await this.vault.open(this.dataSource, account);
        if (values.oauth_access_token) return { accessToken: values.oauth_access_token, expiresAt: account.expiresAt };
      }
      if (Date.now() > giveUpAt) throw providerUnavailable("The token refresh did not finish in time; try again later.");
    }
  }

  private async takeLease(accountId: string): Promise<boolean> {
    const now = new Date();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ leaseOwner: this.instanceId, leaseUntil: new Date(now.getTime() + this.settings.leaseMs) })
      .where("id = :id", { id: accountId })
      .andWhere("(lease_until IS NULL OR lease_until < :now)", { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async releaseLease(accountId: string): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ leaseOwner: null, leaseUntil: null })
      .where("id = :id AND lease_owner = :me", { id: accountId, me: this.instanceId })
      .execute()
      .catch((error: unknown) => this.logger.warn({ err: error, accountId }, "could not release a refresh lease; it will lapse"));
  }

  private async refreshHoldingLease(accountId: string, mode: RefreshMode): Promise<FreshToken> {
    // Re-read under the lease: another instance may have refreshed while we waited for it.
    const account = await this.load(accountId);
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    const values = await this.vault.open(this.dataSource, account);
    const current = values.oauth_access_token ? { accessToken: values.oauth_access_token, expiresAt: account.expiresAt } : null;
    if (current && this.isSatisfied(account, mode)) return current;
    const stillValid = current && (!account.expiresAt || account.expiresAt.getTime() > Date.now()) ? current : null;

    if (account.healthStatus === "NEEDS_RECONNECT") {
      throw new AppError("CONFLICT", "The account needs to be reconnected.", { health: "NEEDS_RECONNECT" });
    }
    // Backing off after transient failures: serve the old token while it lasts, else say so.
    if (mode === "onUse" && account.healthStatus !== "HEALTHY" && account.nextRefreshAt && account.nextRefreshAt.getTime() > Date.now()) {
      if (stillValid) return stillValid;
      throw providerUnavailable("The provider is failing; the next refresh attempt is scheduled.");
    }
    const app = this.apps.find(account.appSlug);
    if (!app?.oauth) throw new AppError("BAD_USER_INPUT", "This account does not use OAuth.");
    if (!values.oauth_refresh_token) {
      if (stillValid) return stillValid;
      await this.recordFailure(account, "NEEDS_RECONNECT", "no_refresh_token: the provider issued no refresh token; reconnect the account");
      throw new AppError("CONFLICT", "The account needs to be reconnected.", { health: "NEEDS_RECONNECT" });
    }
    const client = await this.clients.resolve(account.workspaceId, app, account.oauthClientId);
    const interrupted = account.refreshStartedAt !== null;
    // Write-ahead mark: if this process dies between the provider's answer and our write, the
    // next attempt knows the refresh token may have been consumed by the lost refresh.
    await this.dataSource.getRepository(AccountEntity).update({ id: account.id, leaseOwner: this.instanceId }, { refreshStartedAt: new Date() });

    let grant: TokenGrant;
    try {
      grant = await callTokenEndpoint(
        app.oauth,
        client,
        { grant_type: "refresh_token", refresh_token: values.oauth_refresh_token },
        this.settings.providerTimeoutMs,
      );
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      return this.handleFailure(account, error, stillValid, interrupted);
    }
    await this.storeGrant(account, values, grant);
    await this.clients.markHealthy(app.slug, account.oauthClientId);
    return { accessToken: grant.accessToken, expiresAt: grant.expiresAt };
  }

  /**
   * Stores what the provider returned before anyone uses it: the new access token, the rotated
   * refresh token (or the old one, when the provider did not return one), expiry and scopes, as
   * one conditional write that succeeds only while we still hold the lease.
   */
  private async storeGrant(account: AccountEntity, values: Record<string, string>, grant: TokenGrant): Promise<void> {
    const now = new Date();
    const scopes = grant.scopes ?? (JSON.parse(account.scopes) as string[]);
    const previousScopes = JSON.parse(account.scopes) as string[];
    const next = {
      ...values,
      oauth_access_token: grant.accessToken,
      ...(grant.refreshToken ? { oauth_refresh_token: grant.refreshToken } : {}),
    };
    const wasHealthy = account.healthStatus === "HEALTHY";
    await inTransaction(this.dataSource, async (manager) => {
      const result = await manager.update(
        AccountEntity,
        { id: account.id, version: account.version, leaseOwner: this.instanceId },
        {
          expiresAt: grant.expiresAt,
          lastRefreshedAt: now,
          nextRefreshAt: this.nextRefreshAt(grant.expiresAt, now),
          healthStatus: "HEALTHY",
          lastError: null,
          refreshFailures: 0,
          refreshStartedAt: null,
          scopes: JSON.stringify(scopes),
          version: account.version + 1,
          updatedAt: now,
        },
      );
      if (!result.affected) throw providerUnavailable("The refresh lease was lost; try again.");
      await this.vault.store(manager, account, next);
      if (!wasHealthy) {
        await this.audit.record(manager, account.workspaceId, SYSTEM_ACTOR, "ACCOUNT_HEALTH_CHANGED", account.id, {
          from: account.healthStatus,
          to: "HEALTHY",
          reason: "refresh succeeded",
        });
        // Recovered from an incident someone was alerted about (not from a blip below the threshold).
        if (account.healthStatus !== "DEGRADED" || account.refreshFailures >= this.settings.authFailureThreshold) {
          await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_RECOVERED", accountId: account.id, details: { from: account.healthStatus } }]);
        }
      }
      const added = scopes.filter((s) => !previousScopes.includes(s));
      const removed = previousScopes.filter((s) => !scopes.includes(s));
      if (grant.scopes && (added.length || removed.length)) {
        await this.audit.record(manager, account.workspaceId, SYSTEM_ACTOR, "ACCOUNT_SCOPES_CHANGED", account.id, { added, removed });
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_SCOPES_CHANGED", accountId: account.id, details: { added, removed } }]);
      }
    });
  }

  /** When the background refresher should renew a token next. */
  nextRefreshAt(expiresAt: Date | null, now = new Date()): Date {
    if (expiresAt) return new Date(Math.max(now.getTime(), expiresAt.getTime() - this.settings.refreshAheadSec * 1000));
    return new Date(now.getTime() + this.settings.fallbackLifetimeSec * 1000);
  }

  private async handleFailure(
    account: AccountEntity,
    error: TokenEndpointError,
    stillValid: FreshToken | null,
    interrupted: boolean,
  ): Promise<FreshToken> {
    if (error.kind === "INVALID_GRANT") {
      // Did another writer rotate the token meanwhile? Then the grant is fine: use their token.
      const latest = await this.load(account.id);
      if (latest && latest.version !== account.version) {
        const values = await this.vault.open(this.dataSource, latest);
        if (values.oauth_access_token) return { accessToken: values.oauth_access_token, expiresAt: latest.expiresAt };
      }
      const reason = interrupted
        ? `${error.reason} (the refresh token was probably consumed by an interrupted refresh)`
        : error.reason;
      await this.recordFailure(account, "NEEDS_RECONNECT", reason);
      throw new AppError("CONFLICT", "The account needs to be reconnected.", { health: "NEEDS_RECONNECT" });
    }
    if (error.kind === "INVALID_CLIENT") {
      // The client is misconfigured, not the grant: flag the client, and show the account as
      // CLIENT_MISCONFIGURED (never NEEDS_RECONNECT: reconnecting would not help). It is retried
      // with backoff, so fixing the client heals every account that uses it.
      await this.clients.markMisconfigured(account.appSlug, account.oauthClientId, error.reason);
      await this.recordFailure(account, "CLIENT_MISCONFIGURED", error.reason);
      if (stillValid) return stillValid;
      throw new AppError("PROVIDER_UNAVAILABLE", "The app's OAuth client is misconfigured; an admin must fix it.", { reason: "CLIENT_MISCONFIGURED" });
    }
    await this.recordFailure(account, "DEGRADED", error.reason, error.retryAfterMs);
    if (stillValid) return stillValid;
    throw providerUnavailable("The provider did not refresh the token; try again later.");
  }

  private async recordFailure(account: AccountEntity, status: HealthStatus, reason: string, retryAfterMs: number | null = null): Promise<void> {
    const now = Date.now();
    const failures = account.refreshFailures + 1;
    const wait = Math.max(backoffMs(failures), retryAfterMs ?? 0);
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(
        AccountEntity,
        { id: account.id, version: account.version },
        {
          healthStatus: status,
          lastError: reason.slice(0, 500),
          refreshFailures: failures,
          refreshStartedAt: null,
          nextRefreshAt: status === "NEEDS_RECONNECT" ? null : new Date(now + wait),
          version: account.version + 1,
          updatedAt: new Date(now),
        },
      );
      await this.audit.record(manager, account.workspaceId, SYSTEM_ACTOR, "ACCOUNT_REFRESH_FAILED", account.id, { status, reason });
      if (account.healthStatus !== status) {
        await this.audit.record(manager, account.workspaceId, SYSTEM_ACTOR, "ACCOUNT_HEALTH_CHANGED", account.id, {
          from: account.healthStatus,
          to: status,
          reason,
        });
      }
      // Alerts, once per incident: the grant is gone; the client is rejected; or transient
      // failures just reached the threshold.
      if (status === "NEEDS_RECONNECT" && account.healthStatus !== "NEEDS_RECONNECT") {
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_RECONNECT_REQUIRED", accountId: account.id, details: { reason } }]);
      } else if (status === "CLIENT_MISCONFIGURED" && account.healthStatus !== "CLIENT_MISCONFIGURED") {
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_AUTH_FAILED", accountId: account.id, details: { reason, cause: "CLIENT_MISCONFIGURED" } }]);
      } else if (status === "DEGRADED" && failures === this.settings.authFailureThreshold) {
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_AUTH_FAILED", accountId: account.id, details: { reason, cause: "REPEATED_FAILURES", failures } }]);
      }
    });
  }
}
