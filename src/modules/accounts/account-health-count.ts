import type { DataSource } from "typeorm";
import type { Logger } from "../../logging/logger";
import { AccountEntity } from "./account.entity";

/**
 * Accounts per health state for the `ca_accounts` gauge, counted in the background every
 * `intervalMs` (one GROUP BY over ix_accounts_health) and read from memory at each scrape: a
 * scrape never waits on the database, however often Prometheus scrapes or however many accounts
 * there are. Every instance counts the same shared table (operators take max() over instances).
 */
export class AccountHealthCount {
  private counts: ReadonlyMap<string, number> = new Map();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  get current(): ReadonlyMap<string, number> {
    return this.counts;
  }

  start(): void {
    if (this.timer) return;
    void this.count();
    this.timer = setInterval(() => void this.count(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Counts now (also what start() does first). A failed count keeps the last one. */
  async count(): Promise<void> {
    try {
      const rows = await this.dataSource
        .getRepository(AccountEntity)
        .createQueryBuilder("a")
        .select("a.health_status", "status")
        .addSelect("COUNT(*)", "n")
        .groupBy("a.health_status")
        .getRawMany<{ status: string; n: number | string }>();
      this.counts = new Map(rows.map((row) => [row.status, Number(row.n)]));
    } catch (error) {
      this.logger.warn({ err: error }, "accounts could not be counted by health for the metrics");
    }
  }
}
