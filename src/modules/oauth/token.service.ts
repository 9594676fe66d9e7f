import { randomUUID } from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import { afterCommit, inTransaction } from "../../db/transactions";
import { AppError, providerUnavailable } from "../../errors/app-error";
import type { Logger } from "../../logging/logger";
import { AccountEntity, type HealthStatus } from "../accounts/account.entity";
import type { CredentialVault } from "../accounts/credential-vault";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AuditService } from "../audit/audit.service";
import type { OAuthClientService } from "./oauth-client.service";
import { callTokenEndpoint, TokenEndpointError, type TokenGrant } from "./token-endpoint";
import type { EventLog } from "../../events/event-log";
import { parseConnection, storeConnection } from "../apps/app-connection";
import { relearnFromRefresh } from "../proxy/learned-values";
import { metrics, secondsSince, type RefreshOutcome } from "../../observability/metrics";
import { observeProviderCall } from "../../observability/provider-calls";

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

/**
 * A lease on an account row: the owner written in lease_owner (this process's id and a counter, so
 * a batch claimed together can be read back by it) and when it lapses.
 */
export interface RefreshLease {
  owner: string;
  until: Date;
}

/** An account the background refresher claimed (leased, re-read, write-ahead marked) and must refresh or release. */
export interface ClaimedAccount {
  account: AccountEntity;
  lease: RefreshLease;
}

/**
 * Bounds the provider calls of background refreshes (the refresher's concurrency) while their
 * database work before and after the call overlaps other refreshes' calls.
 */
export interface CallGate {
  acquire(): Promise<void>;
  release(): void;
}

/** The outcome class of a failed refresh, for metrics and logs (SPEC §4's classes, and why a grant was lost). */
function refreshOutcome(error: TokenEndpointError, interrupted: boolean): RefreshOutcome {
  if (error.kind === "INVALID_GRANT") return interrupted ? "interrupted" : "invalid_grant";
  if (error.kind === "INVALID_CLIENT") return "invalid_client";
  if (error.kind === "REJECTED") return "rejected";
  if (error.transient === "unavailable") return error.reason.startsWith("http_429") ? "429" : "5xx";
  return error.transient ?? "unreachable";
}

/** Health states the background refresher renews (NEEDS_RECONNECT waits for a person). */
const REFRESHABLE: HealthStatus[] = ["HEALTHY", "DEGRADED", "CLIENT_MISCONFIGURED"];

// What a refresh under a lease has done to the lease, so that releasing it does only what is left.
interface HeldLease extends RefreshLease {
  /** Released by the success write itself. */
  released: boolean;
  /** Write-ahead mark set by a batch claim: restored to `priorMark` if the provider was never called. */
  markedAtClaim: boolean;
  priorMark: Date | null;
  called: boolean;
  gate?: CallGate;
}

// A provider's answer waiting to be written (see storeGrant).
/** What deciding a token's freshness reads of an account. */
type TokenTimes = Pick<AccountEntity, "expiresAt" | "nextRefreshAt" | "lastRefreshedAt" | "connectedAt">;

// A token is refreshed ahead of its expiry by at most this fraction of its lifetime.
const REFRESH_AHEAD_FRACTION = 0.2;

interface PendingStore {
  account: AccountEntity;
  values: Record<string, string>;
  grant: TokenGrant;
  held: HeldLease;
  /** The account's connection values anew, when the refresh changed a learned one (undefined: unchanged). */
  connection?: string | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

// Grants per group write: bounds how long one transaction holds its row locks.
const MAX_STORE_BATCH = 32;

function settleStore(item: PendingStore, stored: boolean): void {
  if (!stored) return item.reject(providerUnavailable("The refresh lease was lost; try again."));
  item.held.released = true;
  item.resolve();
}

/** Who asked: a person (audited by the caller) or the service itself (background refresher, step tests). */
const SYSTEM_ACTOR = { userId: "system", memberId: null };

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 15 * 60 * 1000;
const LEASE_POLL_MS = 50;
// Time a refresh needs beyond the provider's deadline to write its result under the lease.
const LEASE_MARGIN_MS = 1000;

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
  // Grants waiting for the next group write, and the writer running now.
  private readonly pendingStores: PendingStore[] = [];
  private storing: Promise<void> | undefined;
  /** This process's lease-owner identity. */
  readonly instanceId = randomUUID();
  private leases = 0;

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
   * A usable access token for an OAuth account (the caller has authorized the request). A fresh
   * token is served as it is; one within its refresh-ahead window but still valid is served at
   * once while a refresh runs in the background; only a caller with no valid token waits for the
   * refresh (here, or on whichever instance holds the lease).
   */
  async getAccessToken(accountId: string): Promise<FreshToken> {
    const account = await this.load(accountId);
    if (account && (this.isFresh(account) || this.isStillValid(account))) {
      const values = await this.vault.open(this.dataSource, account);
      if (values.oauth_access_token) {
        if (!this.isFresh(account)) this.refreshAhead(account);
        return { accessToken: values.oauth_access_token, expiresAt: account.expiresAt };
      }
    }
    return this.refresh(accountId, "onUse");
  }

  /**
   * Starts a refresh nobody waits for (a still-valid token is being served meanwhile); its outcome
   * is recorded on the account. Not while the account backs off after failures, or cannot be
   * refreshed at all: each read would otherwise take and give back the lease for nothing.
   */
  refreshAhead(account: Pick<AccountEntity, "id" | "healthStatus" | "nextRefreshAt">): void {
    if (!(REFRESHABLE as readonly string[]).includes(account.healthStatus)) return;
    if (account.healthStatus !== "HEALTHY" && account.nextRefreshAt && account.nextRefreshAt.getTime() > Date.now()) return;
    this.refresh(account.id, "onUse").catch((error: unknown) => {
      this.logger.debug({ accountId: account.id, code: (error as { code?: string }).code }, "refresh ahead of expiry failed");
    });
  }

  /** Refreshes an account's token under the lease (shared with concurrent callers in this process). */
  refresh(accountId: string, mode: RefreshMode): Promise<FreshToken> {
    const running = this.inflight.get(accountId);
    if (running) return running;
    const work = this.refreshUnderLease(accountId, mode).finally(() => this.inflight.delete(accountId));
    this.inflight.set(accountId, work);
    return work;
  }

  /** Whether the stored token is valid beyond its refresh-ahead window (unknown expiry: until next_refresh_at). */
  isFresh(account: TokenTimes, now = Date.now()): boolean {
    if (account.expiresAt) return account.expiresAt.getTime() - now > this.refreshAheadMs(account.expiresAt, account.lastRefreshedAt ?? account.connectedAt);
    return account.nextRefreshAt === null || account.nextRefreshAt.getTime() > now;
  }

  /**
   * Whether a token that is no longer fresh can still be served while it is being refreshed: its
   * expiry is known and still ahead by half its refresh-ahead window (a token about to expire is
   * of no use to the caller). Unknown expiries are never assumed valid past next_refresh_at.
   */
  isStillValid(account: TokenTimes, now = Date.now()): boolean {
    if (!account.expiresAt) return false;
    return account.expiresAt.getTime() - now > this.refreshAheadMs(account.expiresAt, account.lastRefreshedAt ?? account.connectedAt) / 2;
  }

  /**
   * How long before its expiry a token is refreshed: TOKEN_REFRESH_AHEAD_SEC, but at most a fifth
   * of the token's own lifetime, so that a short-lived token (Keycloak's 300 s with our 300 s
   * default) is still served fresh for most of its life, and refreshed once per expiry rather
   * than on every read and every sweep.
   */
  refreshAheadMs(expiresAt: Date, obtainedAt: Date | null): number {
    const setting = this.settings.refreshAheadSec * 1000;
    const lifetime = obtainedAt ? expiresAt.getTime() - obtainedAt.getTime() : 0;
    return lifetime > 0 ? Math.min(setting, lifetime * REFRESH_AHEAD_FRACTION) : setting;
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

  /**
   * Claims up to `limit` accounts due for a background refresh as of `dueBy`, in one conditional
   * UPDATE (so instances racing for the same rows each get a row at most once), reads them back
   * under the lease (the re-check), and sets their write-ahead mark in one more UPDATE. Returns
   * the claimed accounts and how many were due (more due than claimed: another instance won some).
   */
  async claimDue(limit: number, dueBy: Date, workspaceId?: string): Promise<{ claimed: ClaimedAccount[]; due: number }> {
    const now = new Date();
    const repo = this.dataSource.getRepository(AccountEntity);
    const query = repo
      .createQueryBuilder("a")
      .select("a.id", "id")
      .where("a.next_refresh_at <= :dueBy", { dueBy })
      .andWhere("a.health_status IN (:...statuses)", { statuses: REFRESHABLE })
      .andWhere("(a.lease_until IS NULL OR a.lease_until < :now)", { now })
      // Not the accounts of a workspace being deleted: their grants are being revoked.
      .andWhere("NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = a.workspace_id AND w.deleting_at IS NOT NULL)");
    if (workspaceId) query.andWhere("a.workspace_id = :workspaceId", { workspaceId });
    const ids = (await query.orderBy("a.next_refresh_at", "ASC").limit(limit).getRawMany<{ id: string }>()).map((r) => r.id);
    if (ids.length === 0) return { claimed: [], due: 0 };
    const lease = this.newLease(now);
    const taken = await this.dataSource
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ leaseOwner: lease.owner, leaseUntil: lease.until })
      .where("id IN (:...ids)", { ids })
      .andWhere("next_refresh_at <= :dueBy", { dueBy })
      .andWhere("health_status IN (:...statuses)", { statuses: REFRESHABLE })
      .andWhere("(lease_until IS NULL OR lease_until < :now)", { now })
      .execute();
    if (!taken.affected) return { claimed: [], due: ids.length };
    const accounts = await repo.findBy({ id: In(ids), leaseOwner: lease.owner });
    if (accounts.length > 0) {
      // Write-ahead mark (see refreshHoldingLease), for the whole batch; the rows above still
      // show the previous mark, which is what tells an interrupted refresh apart.
      await repo.update({ id: In(accounts.map((a) => a.id)), leaseOwner: lease.owner }, { refreshStartedAt: now });
    }
    return { claimed: accounts.map((account) => ({ account, lease })), due: ids.length };
  }

  /**
   * Refreshes an account claimed by `claimDue` (shared with concurrent callers in this process),
   * then releases it. The provider call waits for `gate`; if the lease no longer has room for the
   * call by then, nothing is called and the account is released for a later attempt.
   */
  refreshClaimed(claim: ClaimedAccount, gate?: CallGate): Promise<FreshToken> {
    const held: HeldLease = { ...claim.lease, released: false, markedAtClaim: true, priorMark: claim.account.refreshStartedAt, called: false, gate };
    const work = this.runHoldingLease(claim.account, held, "due");
    // An on-use caller in this process may be waiting for a lease that lapsed into our claim: it
    // polls the row and sees our result, so it keeps its own entry.
    if (this.inflight.has(claim.account.id)) return work;
    const shared = work.finally(() => this.inflight.delete(claim.account.id));
    this.inflight.set(claim.account.id, shared);
    return shared;
  }

  /** Whether a claimed account's lease still has room for a whole provider call (with a margin for the write). */
  hasTimeLeft(claim: ClaimedAccount, now = Date.now()): boolean {
    const slack = this.settings.leaseMs - this.settings.providerTimeoutMs;
    return claim.lease.until.getTime() - now > this.settings.providerTimeoutMs + Math.min(LEASE_MARGIN_MS, slack / 2);
  }

  /** Gives back a claimed account that will not be refreshed now (the refresher is stopping, or its lease is too short for a provider call). */
  async releaseClaim(claim: ClaimedAccount): Promise<void> {
    await this.releaseLease(claim.account.id, { ...claim.lease, released: false, markedAtClaim: true, priorMark: claim.account.refreshStartedAt, called: false });
  }

  private newLease(now: Date): RefreshLease {
    return { owner: `${this.instanceId}/${++this.leases}`, until: new Date(now.getTime() + this.settings.leaseMs) };
  }

  private async runHoldingLease(account: AccountEntity, held: HeldLease, mode: RefreshMode): Promise<FreshToken> {
    try {
      return await this.refreshHoldingLease(account, held, mode);
    } finally {
      if (!held.released) await this.releaseLease(account.id, held);
    }
  }

  private async refreshUnderLease(accountId: string, mode: RefreshMode): Promise<FreshToken> {
    // Only a forced refresh compares versions: it wants any token newer than the one refused.
    const startedVersion = mode === "force" ? (await this.load(accountId))?.version : undefined;
    const giveUpAt = Date.now() + this.settings.leaseMs + this.settings.providerTimeoutMs;
    let waitingSince: number | null = null;
    try {
      return await this.leaseLoop(accountId, mode, startedVersion, giveUpAt, () => (waitingSince ??= performance.now()));
    } finally {
      if (waitingSince !== null) metrics.leaseWait(secondsSince(waitingSince));
    }
  }

  // Takes the lease and refreshes, or waits for whoever holds it (`waiting` marks the first wait).
  private async leaseLoop(accountId: string, mode: RefreshMode, startedVersion: number | undefined, giveUpAt: number, waiting: () => void): Promise<FreshToken> {
    for (;;) {
      const lease = await this.takeLease(accountId);
      if (lease) {
        const held: HeldLease = { ...lease, released: false, markedAtClaim: false, priorMark: null, called: false };
        // Re-read under the lease: another instance may have refreshed while we waited for it.
        const account = await this.load(accountId);
        if (!account) {
          await this.releaseLease(accountId, held);
          throw new AppError("NOT_FOUND", "Account not found.");
        }
        return this.runHoldingLease(account, held, mode);
      }
      // Someone else is refreshing: wait for their result (or for their lease to lapse).
      waiting();
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

  private async takeLease(accountId: string): Promise<RefreshLease | null> {
    const now = new Date();
    const lease = this.newLease(now);
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ leaseOwner: lease.owner, leaseUntil: lease.until })
      .where("id = :id", { id: accountId })
      .andWhere("(lease_until IS NULL OR lease_until < :now)", { now })
      .execute();
    return (result.affected ?? 0) > 0 ? lease : null;
  }

  // Ends a lease the success write did not end. A batch claim's write-ahead mark goes back to what
  // it was when the provider was never called (nothing was consumed).
  private async releaseLease(accountId: string, held: HeldLease): Promise<void> {
    const restoreMark = held.markedAtClaim && !held.called;
    await this.dataSource
      .createQueryBuilder()
      .update(AccountEntity)
      .set({ leaseOwner: null, leaseUntil: null, ...(restoreMark ? { refreshStartedAt: held.priorMark } : {}) })
      .where("id = :id AND lease_owner = :owner", { id: accountId, owner: held.owner })
      .execute()
      .catch((error: unknown) => this.logger.warn({ err: error, accountId }, "could not release a refresh lease; it will lapse"));
  }

  // `account` was read after the lease was taken: it is the re-check.
  private async refreshHoldingLease(account: AccountEntity, held: HeldLease, mode: RefreshMode): Promise<FreshToken> {
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
    // The connection's own token endpoint (a tenant's host), checked like every URL of it.
    const connection = parseConnection(account.connection);
    const oauth = this.apps.urlsFor(app, connection).oauth!;
    // Write-ahead mark: if this process dies between the provider's answer and our write, the
    // next attempt knows the refresh token may have been consumed by the lost refresh. (A batch
    // claim has set it already; `account` shows the mark from before.)
    const interrupted = account.refreshStartedAt !== null;
    if (!held.markedAtClaim) {
      await this.dataSource.getRepository(AccountEntity).update({ id: account.id, leaseOwner: held.owner }, { refreshStartedAt: new Date() });
    }

    let grant: TokenGrant;
    await held.gate?.acquire();
    try {
      if (held.gate && !this.hasTimeLeft({ account, lease: held })) throw providerUnavailable("The refresh lease ran short before the provider call; it is retried later.");
      held.called = true;
      const refreshToken = values.oauth_refresh_token;
      grant = await observeProviderCall(app.slug, "refresh", () =>
        callTokenEndpoint(oauth, client, { grant_type: "refresh_token", refresh_token: refreshToken }, this.settings.providerTimeoutMs, (url) => this.apps.dial(url)),
      );
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      const outcome = refreshOutcome(error, interrupted);
      metrics.refresh(app.slug, outcome);
      // A grant that is gone or a rejected client needs a person; a provider outage is retried.
      const level = outcome === "invalid_client" ? "error" : "warn";
      this.logger[level]({ accountId: account.id, app: app.slug, outcome, reason: error.reason }, "token refresh failed");
      return this.handleFailure(account, error, stillValid, interrupted);
    } finally {
      held.gate?.release();
    }
    // Values the provider may change at a refresh (Salesforce's instance_url), checked as at connect.
    const learned = relearnFromRefresh(app, grant.fields, connection.learned);
    const changed = Object.keys(learned).some((name) => learned[name] !== connection.learned[name]);
    await this.storeGrant(account, values, grant, held, changed ? storeConnection({ parameters: connection.parameters, learned }) : undefined);
    metrics.refresh(app.slug, "ok");
    this.logger.debug({ accountId: account.id, app: app.slug, outcome: "ok" }, "token refreshed");
    // Written only when the client's standing changes (it was flagged): not once per refresh.
    if (account.healthStatus === "CLIENT_MISCONFIGURED" || (await this.clients.mayBeMisconfigured(app.slug, client))) {
      await this.clients.markHealthy(app.slug, account.oauthClientId);
    }
    return { accessToken: grant.accessToken, expiresAt: grant.expiresAt };
  }

  /**
   * Stores what the provider returned before anyone uses it: the new access token, the rotated
   * refresh token (or the old one, when the provider did not return one), expiry and scopes, as
   * one conditional write that succeeds only while we still hold the lease, and that ends the lease.
   * Grants arriving while a write is in progress are written together in the next transaction
   * (group commit: one BEGIN/COMMIT and one log flush for many refreshes); each still resolves only
   * once its own write has committed.
   */
  private storeGrant(account: AccountEntity, values: Record<string, string>, grant: TokenGrant, held: HeldLease, connection?: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingStores.push({ account, values, grant, held, connection, resolve, reject });
      this.storing ??= this.writePendingStores();
    });
  }

  private async writePendingStores(): Promise<void> {
    while (this.pendingStores.length > 0) {
      const batch = this.pendingStores.splice(0, MAX_STORE_BATCH);
      try {
        const stored = await inTransaction(this.dataSource, async (manager) => {
          await this.events.lockFor(manager, batch.filter((item) => this.raisesEvents(item)).map((item) => item.account.workspaceId));
          const results: boolean[] = [];
          for (const item of batch) results.push(await this.writeGrant(manager, item));
          return results;
        });
        batch.forEach((item, i) => settleStore(item, stored[i]!));
      } catch (error) {
        if (batch.length === 1) {
          batch[0]!.reject(error);
          continue;
        }
        // One grant's failure must not cost the others their new tokens: write them one by one.
        for (const item of batch) {
          await inTransaction(this.dataSource, async (manager) => {
            if (this.raisesEvents(item)) await this.events.lockFor(manager, item.account.workspaceId);
            return this.writeGrant(manager, item);
          }).then(
            (stored) => settleStore(item, stored),
            (itemError: unknown) => item.reject(itemError),
          );
        }
      }
    }
    // No await between the loop's last check and this: a grant queued from now on starts a new writer.
    this.storing = undefined;
  }

  // Whether writing this grant appends an event (a recovery, or changed scopes): its transaction
  // then takes the workspace's event lock first (EventLog.lockFor). Most refreshes append none.
  private raisesEvents({ account, grant }: PendingStore): boolean {
    const previous = JSON.parse(account.scopes) as string[];
    const scopesChanged = grant.scopes !== null && grant.scopes !== undefined && (grant.scopes.length !== previous.length || grant.scopes.some((s) => !previous.includes(s)));
    return account.healthStatus !== "HEALTHY" || scopesChanged;
  }

  // One grant's write inside a (possibly shared) transaction; false when the lease was lost.
  private async writeGrant(manager: EntityManager, { account, values, grant, held, connection }: PendingStore): Promise<boolean> {
    const now = new Date();
    const scopes = grant.scopes ?? (JSON.parse(account.scopes) as string[]);
    const previousScopes = JSON.parse(account.scopes) as string[];
    const next = {
      ...values,
      oauth_access_token: grant.accessToken,
      ...(grant.refreshToken ? { oauth_refresh_token: grant.refreshToken } : {}),
    };
    const result = await manager.update(
      AccountEntity,
      { id: account.id, version: account.version, leaseOwner: held.owner },
      {
        leaseOwner: null,
        leaseUntil: null,
        expiresAt: grant.expiresAt,
        lastRefreshedAt: now,
        nextRefreshAt: this.nextRefreshAt(grant.expiresAt, now),
        healthStatus: "HEALTHY",
        lastError: null,
        refreshFailures: 0,
        refreshStartedAt: null,
        scopes: JSON.stringify(scopes),
        ...(connection !== undefined ? { connection } : {}),
        version: account.version + 1,
        updatedAt: now,
      },
    );
    if (!result.affected) return false;
    await this.vault.store(manager, account, next);
    if (account.healthStatus !== "HEALTHY") {
      afterCommit(manager, () => metrics.healthChanged("HEALTHY", account.appSlug));
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
    return true;
  }

  /** When the background refresher should renew a token obtained `now` (the start of its refresh-ahead window). */
  nextRefreshAt(expiresAt: Date | null, now = new Date()): Date {
    if (expiresAt) return new Date(Math.max(now.getTime(), expiresAt.getTime() - this.refreshAheadMs(expiresAt, now)));
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
    const alerts =
      (status === "NEEDS_RECONNECT" && account.healthStatus !== "NEEDS_RECONNECT") ||
      (status === "CLIENT_MISCONFIGURED" && account.healthStatus !== "CLIENT_MISCONFIGURED") ||
      (status === "DEGRADED" && failures === this.settings.authFailureThreshold);
    await inTransaction(this.dataSource, async (manager) => {
      if (alerts) await this.events.lockFor(manager, account.workspaceId);
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
        afterCommit(manager, () => metrics.healthChanged(status, account.appSlug));
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
