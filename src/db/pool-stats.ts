import type { DataSource } from "typeorm";

interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
  config?: { connectionLimit?: number };
}

/**
 * The database pool's connections in use and idle, the callers waiting for one and the pool's size, read from
 * mysql2's pool at scrape time (null on SQLite, which has one connection and no pool).
 */
export function poolStats(dataSource: DataSource): () => { inUse: number; idle: number; waiting: number; max: number } | null {
  return () => {
    const pool = (dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool;
    if (!pool?._allConnections || !pool._freeConnections) return null;
    const all = pool._allConnections.length;
    const idle = pool._freeConnections.length;
    return { inUse: all - idle, idle, waiting: pool._connectionQueue?.length ?? 0, max: pool.config?.connectionLimit ?? all };
  };
}
