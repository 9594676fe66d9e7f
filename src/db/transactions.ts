import type { DataSource, EntityManager } from "typeorm";

// SQLite runs on one connection: two transactions started concurrently would interleave on it
// (the second BEGIN fails, or its statements join the first). Transactions are short and never
// span a provider call, so queueing them per data source costs little on the embedded default.
const sqliteQueues = new WeakMap<DataSource, Promise<unknown>>();

// Writers of one workspace queue on its lock (EventLog.lockFor), so deadlocks are rare; the few
// left (a refresh's write crossing a user's change of the same account) are retried.
const DEADLOCK_RETRIES = 5;

// Work to do once a transaction has committed (publishing the events it wrote), by manager.
const afterCommitHooks = new WeakMap<EntityManager, Array<() => void>>();

/** Runs `hook` after the transaction of `manager` commits (never if it rolls back). */
export function afterCommit(manager: EntityManager, hook: () => void): void {
  const hooks = afterCommitHooks.get(manager);
  if (hooks) hooks.push(hook);
  else afterCommitHooks.set(manager, [hook]);
}

async function runCommitted<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  let used: EntityManager | undefined;
  const result = await dataSource.transaction(async (manager) => {
    used = manager;
    afterCommitHooks.delete(manager);
    return work(manager);
  });
  const hooks = used ? afterCommitHooks.get(used) : undefined;
  if (used) afterCommitHooks.delete(used);
  for (const hook of hooks ?? []) hook();
  return result;
}

function isDeadlock(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code ?? (error as { code?: string }).code;
  return code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT";
}

/**
 * Runs `work` in one transaction (serialized on SQLite); every multi-row write goes through here.
 * On MariaDB a deadlock victim is retried: the work holds no side effect outside the database
 * (provider calls never happen inside a transaction), so running it again is safe.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (dataSource.options.type !== "better-sqlite3") {
    for (let attempt = 1; ; attempt++) {
      try {
        return await runCommitted(dataSource, work);
      } catch (error) {
        if (!isDeadlock(error) || attempt >= DEADLOCK_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }
  const previous = sqliteQueues.get(dataSource) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => runCommitted(dataSource, work));
  sqliteQueues.set(dataSource, run);
  return run;
}

/**
 * Reads one column of a row under an exclusive lock held until the transaction ends (undefined
 * when there is no such row). On MariaDB this is a locking ("current") read: it sees the latest
 * committed value, where a plain SELECT in the same transaction would see its snapshot.
 */
export async function lockedColumn(manager: EntityManager, table: string, id: string, column: string): Promise<unknown> {
  const sqlite = manager.connection.options.type === "better-sqlite3";
  const sql = sqlite ? `SELECT "${column}" AS v FROM "${table}" WHERE id = ?` : `SELECT \`${column}\` AS v FROM \`${table}\` WHERE id = ? FOR UPDATE`;
  const rows = (await manager.query(sql, [id])) as Array<{ v: unknown }>;
  return rows[0]?.v;
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
