import type { DataSource } from "typeorm";
import { metrics } from "../observability/metrics";

type Callback = (error: (Error & { code?: string }) | null, ...rest: unknown[]) => void;
interface PooledConnection {
  query(...args: unknown[]): unknown;
  release(): void;
  destroy(): void;
}
interface CallbackPool {
  getConnection(callback: (error: Error | null, connection?: PooledConnection) => void): void;
  on(event: "connection", listener: (connection: PooledConnection) => void): void;
  _allConnections: { length: number; get(index: number): PooledConnection };
  _freeConnections: { length: number };
}

// Destroys a connection whose query hit its deadline (see installMysqlDeadlines).
function destroyOnQueryTimeout(connection: PooledConnection): void {
  const query = connection.query.bind(connection);
  connection.query = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      args[last] = ((error, ...rest) => {
        if (error?.code === "PROTOCOL_SEQUENCE_TIMEOUT") {
          connection.destroy();
          metrics.databaseDeadline("query");
        }
        (callback as Callback)(error, ...rest);
      }) satisfies Callback;
    }
    return query(...args);
  };
}

/**
 * Deadlines mysql2 does not give on its own, installed on the pool under TypeORM:
 * - acquiring a connection waits at most `acquireTimeoutMs` (mysql2 would queue forever while
 *   every connection is stuck on a stalled network); a connection that arrives later goes back;
 * - a query that hits its deadline destroys its connection. mysql2 reports the timeout but leaves
 *   the command in the connection's queue, so the next query on that connection would wait behind
 *   it with no timer of its own: the wedge this prevents. The pool opens a fresh connection instead.
 */
export function installMysqlDeadlines(dataSource: DataSource, acquireTimeoutMs: number): void {
  const pool = (dataSource.driver as unknown as { pool?: CallbackPool }).pool;
  if (!pool) return;

  // Connections opened while TypeORM initialized exist already; later ones announce themselves.
  for (let i = 0; i < pool._allConnections.length; i++) destroyOnQueryTimeout(pool._allConnections.get(i));
  pool.on("connection", destroyOnQueryTimeout);

  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback) => {
    // A free connection is handed over on the next tick (mysql2's pool): nothing to wait for, so
    // no timer to arm and clear, on every statement of the hot paths.
    if (pool._freeConnections.length > 0) return getConnection(callback);
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      metrics.databaseDeadline("acquire");
      callback(Object.assign(new Error("Timed out waiting for a database connection."), { code: "POOL_ACQUIRE_TIMEOUT" }));
    }, acquireTimeoutMs);
    timer.unref();
    getConnection((error, connection) => {
      if (settled) {
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection);
    });
  };
}
