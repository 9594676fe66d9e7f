import type { Logger as OrmLogger } from "typeorm";
import type { Logger } from "../logging/logger";

/**
 * Routes TypeORM's own messages to the service log. Query parameters are never logged: they can
 * hold sealed credentials, tokens or personal data.
 */
export class TypeOrmLogger implements OrmLogger {
  constructor(private readonly logger?: Logger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.logger?.warn({ err: error instanceof Error ? { message: error.message, code: (error as { code?: string }).code } : error, sql: query.slice(0, 500) }, "query failed");
  }

  logQuerySlow(time: number, query: string): void {
    this.logger?.warn({ ms: time, sql: query.slice(0, 500) }, "slow query");
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger?.info({ migration: message }, "migration");
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.logger?.warn({ message: String(message) }, "typeorm");
  }
}
