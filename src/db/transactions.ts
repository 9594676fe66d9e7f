import type { DataSource, EntityManager } from "typeorm";

// SQLite runs on one connection: two transactions started concurrently would interleave on it
// (the second BEGIN fails, or its statements join the first). Transactions are short and never
// span a provider call, so queueing them per data source costs little on the embedded default.
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

/** Runs `work` in one transaction (serialized on SQLite); every multi-row write goes through here. */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== "better-sqlite3") return dataSource.transaction(work);
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => dataSource.transaction(work));
  sqliteQueues.set(dataSource, run);
  return run;
}

/**
 * Locks a row until the transaction ends, so that invariants spanning rows (the last owner of a
 * workspace, a single refresh per account) cannot be broken by concurrent writers. On SQLite the
 * serialized transactions above already exclude each other.
 */
export async function lockRow(manager: EntityManager, table: string, id: string): Promise<boolean> {
  if (manager.connection.options.type === "better-sqlite3") {
    const rows = (await manager.query(`SELECT id FROM "${table}" WHERE id = ?`, [id])) as unknown[];
    return rows.length > 0;
  }
  const rows = (await manager.query(`SELECT id FROM \`${table}\` WHERE id = ? FOR UPDATE`, [id])) as unknown[];
  return rows.length > 0;
}
