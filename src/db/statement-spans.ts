import type { DataSource, QueryRunner } from "typeorm";
import { inSpan, SpanKind, tracingEnabled } from "../observability/tracing";

const KINDS = new Set(["SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "PRAGMA", "CREATE", "ALTER", "DROP"]);
const WRAPPED = Symbol("statement spans");

/** The statement's kind (its first keyword), the only part of SQL a span carries. */
export function statementKind(sql: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(sql);
  const word = match?.[1]?.toUpperCase() ?? "";
  return KINDS.has(word) ? word : "OTHER";
}

/** The attributes of a statement's span: the database system and the statement kind, never the text or values. */
export function statementAttributes(dataSource: DataSource, sql: string): Record<string, string> {
  return { "db.system": dataSource.options.type === "better-sqlite3" ? "sqlite" : "mariadb", "db.operation.name": statementKind(sql) };
}

/**
 * A CLIENT span per SQL statement TypeORM runs, when tracing is on: every query runner the driver
 * hands out runs its statements inside one. (The hot path's prepared statements take theirs in
 * db/prepared.ts.)
 */
export function traceStatements(dataSource: DataSource): void {
  if (!tracingEnabled()) return;
  const driver = dataSource.driver as unknown as { createQueryRunner(mode: string): QueryRunner };
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode: string) => {
    const runner = create(mode) as QueryRunner & { [WRAPPED]?: true };
    if (runner[WRAPPED]) return runner;
    runner[WRAPPED] = true;
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    (runner as { query: unknown }).query = (sql: string, ...rest: unknown[]) =>
      inSpan(`db ${statementKind(sql)}`, statementAttributes(dataSource, sql), () => query(sql, ...rest), SpanKind.CLIENT);
    return runner;
  };
}
