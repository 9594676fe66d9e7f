import fs from "node:fs";
import path from "node:path";
import { DataSource, type DataSourceOptions, type LogLevel } from "typeorm";
import type { Config } from "./config";
import { ENTITIES } from "./modules/entities";
import { MIGRATIONS_MARIADB } from "../migrations/mariadb";
import { MIGRATIONS_SQLITE } from "../migrations/sqlite";
import { installMysqlDeadlines } from "./db/deadlines";
import { TypeOrmLogger } from "./db/typeorm-logger";
import type { Logger } from "./logging/logger";

/** The database settings the data source needs (a subset of Config, so the CLI can build one too). */
export type DatabaseSettings = Config["database"];

/** TypeORM options for the configured database: entities and migrations, never `synchronize`. */
export function dataSourceOptions(db: DatabaseSettings, logger?: Logger): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    synchronize: false,
    migrationsRun: false,
    logging: ["error", "warn", "migration"] as LogLevel[],
    logger: new TypeOrmLogger(logger),
  };
  if (db.kind === "sqlite") {
    return {
      ...common,
      type: "better-sqlite3",
      database: db.path,
      migrations: MIGRATIONS_SQLITE,
      // Wait this long for a lock held by another connection before failing with SQLITE_BUSY.
      timeout: db.queryTimeoutMs,
      enableWAL: db.path !== ":memory:",
      prepareDatabase: (sqlite: { pragma(source: string): unknown }) => {
        sqlite.pragma("foreign_keys = ON");
        sqlite.pragma("synchronous = NORMAL");
        // Deleted rows (a deleted account's sealed credentials, a deleted workspace) are zeroed in
        // the file, not left in free pages for anyone who copies it.
        sqlite.pragma("secure_delete = ON");
      },
    };
  }
  return {
    ...common,
    type: "mariadb",
    url: db.url,
    migrations: MIGRATIONS_MARIADB,
    charset: "utf8mb4",
    timezone: "Z",
    poolSize: db.poolSize,
    connectTimeout: db.connectTimeoutMs,
    // mysql2 has no query deadline by default: a dropped network would wedge a pool connection.
    maxQueryExecutionTime: db.queryTimeoutMs,
    enableQueryTimeout: true,
    extra: {
      enableKeepAlive: true,
      keepAliveInitialDelay: 10000,
      // Bounded queue: under a stalled database, callers fail at the acquire deadline instead of piling up.
      queueLimit: 1000,
      // mysql2 captures a stack trace at every query's call site by default (`trace`), for its
      // error messages; that was ~4% of the CPU of subscribing and a cost on every statement of
      // the ORM. Errors keep their code, message and SQL state; their stack starts in the driver.
      trace: false,
      idleTimeout: 60000,
      maxIdle: Math.min(db.poolSize, 4),
    },
  };
}

/** Opens the data source, preparing the SQLite directory and the pool's acquire deadline. */
export async function openDataSource(db: DatabaseSettings, logger?: Logger): Promise<DataSource> {
  if (db.kind === "sqlite" && db.path !== ":memory:") fs.mkdirSync(path.dirname(db.path), { recursive: true });
  const dataSource = new DataSource(dataSourceOptions(db, logger));
  await dataSource.initialize();
  if (db.kind === "mariadb") installMysqlDeadlines(dataSource, db.acquireTimeoutMs);
  return dataSource;
}
