import type { DataSource } from "typeorm";
import type { Logger } from "../../logging/logger";
import { AccountEntity } from "../accounts/account.entity";
import type { TokenService } from "./token.service";

/**
 * Renews tokens before anyone asks: every interval, the accounts whose next_refresh_at has come
 * (tokens nearing expiry, tokens without a known expiry on the fallback lifetime, and DEGRADED
 * accounts whose backoff has passed) are refreshed with bounded parallelism. Each refresh goes
 * through the same lease as on-use refreshes, so several instances running this never refresh an
 * account twice.
 */
export class TokenRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
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

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /**
   * One sweep: refreshes every due account, returns how many it attempted. `workspaceId` narrows
   * it to one workspace (tests sharing a database sweep only their own).
   */
  sweep(options: { limit?: number; workspaceId?: string } = {}): Promise<number> {
    this.running ??= this.sweepOnce(options.limit ?? 1000, options.workspaceId).finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepOnce(limit: number, workspaceId: string | undefined): Promise<number> {
    const query = this.dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder("a")
      .select("a.id", "id")
      .where("a.next_refresh_at <= :now", { now: new Date() })
      .andWhere("a.health_status IN (:...statuses)", { statuses: ["HEALTHY", "DEGRADED", "CLIENT_MISCONFIGURED"] })
      .andWhere("(a.lease_until IS NULL OR a.lease_until < :now)", { now: new Date() });
    if (workspaceId) query.andWhere("a.workspace_id = :workspaceId", { workspaceId });
    const due = await query.orderBy("a.next_refresh_at", "ASC").limit(limit).getRawMany<{ id: string }>();
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < due.length) {
        const { id } = due[next++]!;
        try {
          await this.tokens.refresh(id, "due");
        } catch (error) {
          // Failures are recorded on the account by the token service; nothing more to do here.
          this.logger.debug({ accountId: id, code: (error as { code?: string }).code }, "background refresh failed");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.settings.refresherConcurrency, due.length) }, worker));
    return due.length;
  }
}
