import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import { inSpan, SpanKind, tracingEnabled } from "../observability/tracing";
import { metrics } from "../observability/metrics";
import { statementAttributes, statementKind } from "./statement-spans";

type Callback<T> = (error: (Error & { code?: string }) | null, result?: T) => void;
interface PooledConnection {
  execute(options: { sql: string; timeout?: number; namedPlaceholders?: boolean }, values: unknown[], callback: Callback<unknown[]>): void;
  release(): void;
  destroy(): void;
}
interface CallbackPool {
  getConnection(callback: Callback<PooledConnection>): void;
}

/**
 * One read on a hot path, as a server-side prepared statement straight on mysql2's pool (MariaDB)
 * or through TypeORM's connection (SQLite, the embedded default, where it costs little).
 *
 * Why not the query builder: on the token fetch, TypeORM's builder, hydration and promise wrapper
 * cost ~2.6× a prepared statement per query (STACK.md). The pool under TypeORM keeps the
 * deadlines of db/deadlines.ts: acquiring a connection is bounded, and a statement that hits the
 * query deadline destroys its connection (mysql2 would leave the command queued on it).
 */
export function preparedRows<T>(dataSource: DataSource, sql: string, values: unknown[]): Promise<T[]> {
  if (!tracingEnabled()) return runPrepared(dataSource, sql, values);
  return inSpan(`db ${statementKind(sql)}`, statementAttributes(dataSource, sql), () => runPrepared<T>(dataSource, sql, values), SpanKind.CLIENT);
}

function runPrepared<T>(dataSource: DataSource, sql: string, values: unknown[]): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { pool?: CallbackPool }).pool;
  if (!pool) return dataSource.query(sql, values) as Promise<T[]>;
  const timeout = (dataSource.options as { maxQueryExecutionTime?: number }).maxQueryExecutionTime;
  // Observers of TypeORM's query events (statement counters) still see this statement.
  for (const subscriber of dataSource.subscribers) subscriber.beforeQuery?.({ query: sql, parameters: values, dataSource, manager: dataSource.manager } as never);
  return new Promise<T[]>((resolve, reject) => {
    pool.getConnection((acquireError, connection) => {
      if (acquireError || !connection) return reject(acquireError ?? new Error("No database connection."));
      connection.execute({ sql, timeout, namedPlaceholders: false }, values, (error, rows) => {
        if (error?.code === "PROTOCOL_SEQUENCE_TIMEOUT") {
          connection.destroy();
          metrics.databaseDeadline("query");
        } else connection.release();
        if (error) reject(error);
        else resolve(rows as T[]);
      });
    });
  });
}

/**
 * One multi-row INSERT of entities, values prepared by the driver exactly as TypeORM would persist
 * them (dates, booleans), without its query builder: for batches written off a hot path, where
 * building the statement through the builder cost more than sending it.
 */
export async function insertRows<E extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<E>, rows: readonly E[]): Promise<void> {
  if (rows.length === 0) return;
  const metadata = dataSource.getMetadata(target);
  const driver = dataSource.driver;
  const columns = metadata.columns;
  const placeholders = `(${columns.map(() => "?").join(", ")})`;
  const values: unknown[] = [];
  for (const row of rows) for (const column of columns) values.push(driver.preparePersistentValue(column.getEntityValue(row), column));
  const sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((c) => driver.escape(c.databaseName)).join(", ")}) VALUES ${rows.map(() => placeholders).join(", ")}`;
  await dataSource.query(sql, values);
}
