import type { DataSource } from "typeorm";
import { inTransaction } from "./transactions";

/** Quotes a table or column name for the data source's dialect (names come from entity metadata, never from input). */
export function quoteName(dataSource: DataSource, name: string): string {
  return dataSource.options.type === "better-sqlite3" ? `"${name}"` : `\`${name}\``;
}

/**
 * Deletes the rows of `table` matching `where` (SQL with `?` parameters) in batches of at most
 * `batchSize`, each batch its own short transaction (`DELETE … LIMIT n`, which MariaDB and this
 * build of SQLite both take): a purge of a million rows never holds locks for long, and the
 * service's other writers take turns between batches (on SQLite the batches queue with every
 * other transaction). `between` runs between batches (a yield, a lease renewal). Resolves to the
 * number of rows deleted.
 */
export async function deleteInBatches(
  dataSource: DataSource,
  table: string,
  where: string,
  params: readonly unknown[],
  batchSize: number,
  options: { between?: () => Promise<void> } = {},
): Promise<number> {
  return inBatches(dataSource, `DELETE FROM ${quoteName(dataSource, table)} WHERE ${where}`, params, batchSize, options.between);
}

/**
 * Sets `column` to `value` on the rows matching `where` in batches, as deleteInBatches deletes;
 * `where` must stop matching a row once it is updated (or this never ends).
 */
export async function updateInBatches(
  dataSource: DataSource,
  table: string,
  column: string,
  value: unknown,
  where: string,
  params: readonly unknown[],
  batchSize: number,
): Promise<number> {
  return inBatches(dataSource, `UPDATE ${quoteName(dataSource, table)} SET ${quoteName(dataSource, column)} = ? WHERE ${where}`, [value, ...params], batchSize);
}

async function inBatches(dataSource: DataSource, statement: string, params: readonly unknown[], batchSize: number, between?: () => Promise<void>): Promise<number> {
  const limit = Math.max(1, Math.floor(batchSize));
  let total = 0;
  for (;;) {
    const changed = await inTransaction(dataSource, async (manager) => {
      // The structured result carries the driver's count of changed rows (affectedRows, changes).
      const result = await manager.queryRunner!.query(`${statement} LIMIT ${limit}`, params as unknown[], true);
      return (result as { affected?: number }).affected ?? 0;
    });
    total += changed;
    if (changed < limit) return total;
    if (between) await between();
  }
}
