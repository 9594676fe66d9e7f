import type { DataSource } from "typeorm";
import { SealError } from "../../crypto/sealer";
import type { Logger } from "../../logging/logger";
import type { CallGate, ClaimedAccount, TokenService } from "./token.service";

/**
 * Renews tokens before anyone asks: every interval, the accounts whose next_refresh_at has come
 * (tokens nearing expiry, tokens without a known expiry on the fallback lifetime, and DEGRADED
 * accounts whose backoff has passed) are refreshed, `refresherConcurrency` at a time. Accounts are
 * claimed in batches (one conditional UPDATE leases a batch, so several instances running this
 * never refresh an account twice) and the next batch is claimed while the current one is still
 * being refreshed. The concurrency bounds the calls to providers; the database work before and
 * after each call runs beside other refreshes' calls (up to as many refreshes again), so that as
 * many provider calls stay in flight as allowed, without gaps, until nothing due is left.
 */
export class TokenRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  /** `dataSource` is unused since claims moved into the token service; kept for the callers' signature. */
  constructor(
    _dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly settings: { refresherIntervalMs: number; refresherConcurrency: number },
    private readonly logger: Logger,
  ) {}

  /** Starts the periodic sweep (no-op when the interval is 0). */
  start(): void {
    if (this.settings.refresherIntervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.settings.refresherIntervalMs);
    this.timer.unref();
  }

  /** Stops sweeping and waits for a sweep in progress (claimed accounts not started yet are released). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /**
   * One sweep: refreshes every account due when it starts (accounts falling due meanwhile wait for
   * the next sweep, so a sweep always ends), returns how many it attempted. `limit` caps that
   * number; `workspaceId` narrows it to one workspace (tests sharing a database sweep only their own).
   */
  sweep(options: { limit?: number; workspaceId?: string } = {}): Promise<number> {
    this.running ??= this.sweepOnce(options.limit ?? Number.POSITIVE_INFINITY, options.workspaceId).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(limit: number, workspaceId: string | undefined): Promise<number> {
    const concurrency = this.settings.refresherConcurrency;
    const dueBy = new Date();
    const queue: ClaimedAccount[] = [];
    let claimedCount = 0;
    let attempted = 0;
    let exhausted = false;
    let claiming: Promise<void> | undefined;

    // Tops the queue up to one batch ahead of the workers. Due rows another instance leased in
    // between are skipped by the next claim; a few empty claims in a row end the sweep anyway.
    const refill = async () => {
      let empty = 0;
      while (!this.stopped && !exhausted && queue.length < concurrency && claimedCount < limit) {
        const { claimed, due } = await this.tokens.claimDue(Math.min(concurrency, limit - claimedCount), dueBy, workspaceId);
        if (due === 0 || (claimed.length === 0 && ++empty >= 3)) exhausted = true;
        if (claimed.length > 0) empty = 0;
        queue.push(...claimed);
        claimedCount += claimed.length;
      }
      if (claimedCount >= limit) exhausted = true;
    };
    const topUp = () =>
      (claiming ??= refill()
        .catch((error: unknown) => {
          this.logger.warn({ err: error }, "could not claim due accounts; the next sweep retries");
          exhausted = true;
        })
        .finally(() => (claiming = undefined)));

    const gate = new Semaphore(concurrency);
    const worker = async () => {
      for (;;) {
        if (queue.length < concurrency && !exhausted) void topUp();
        const claim = queue.shift();
        if (!claim) {
          if (exhausted || this.stopped) return;
          await topUp();
          continue;
        }
        // Waited in the queue too long for a whole provider call to fit in the lease: give it
        // back rather than risk refreshing after the lease lapsed (another instance may take it).
        if (this.stopped || !this.tokens.hasTimeLeft(claim)) {
          await this.tokens.releaseClaim(claim);
          continue;
        }
        attempted++;
        try {
          await this.tokens.refreshClaimed(claim, gate);
        } catch (error) {
          // Failures are recorded on the account by the token service; nothing more to do here,
          // but stored credentials that do not open are the operator's to fix (the key ring).
          if (error instanceof SealError) this.logger.error({ accountId: claim.account.id, kid: error.kid, reason: error.reason }, "stored credentials could not be opened");
          else this.logger.debug({ accountId: claim.account.id, code: (error as { code?: string }).code }, "background refresh failed");
        }
      }
    };
    await Promise.all(Array.from({ length: 2 * concurrency }, worker));
    await claiming;
    // Claimed while stopping: give back what was never started.
    for (const claim of queue.splice(0)) await this.tokens.releaseClaim(claim);
    return attempted;
  }
}

/** Counting semaphore: at most `permits` holders at a time, the others wait in order. */
class Semaphore implements CallGate {
  private readonly waiting: Array<() => void> = [];

  constructor(private permits: number) {}

  acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.permits++;
  }
}
