import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";
import type { SealContext, Sealer } from "./sealer";
import { SealError, Sealer as SealerClass } from "./sealer";

/** A column that holds one sealed value per row (besides account_secrets, which the vault handles). */
export interface SealedColumn<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  column: keyof T & string;
  /** The seal context of a row's value. */
  contextOf(row: T): SealContext;
  /** Rows whose column is sealed at all (e.g. only secret variables). */
  isSealed(row: T): boolean;
  idOf(row: T): Partial<T>;
  /**
   * The row's state the update is conditional on (default: the column still holds the envelope
   * read). JSON-typed columns cannot be compared that way; they use their version column instead.
   */
  unchangedSince?(row: T): Partial<T>;
}

/**
 * Re-seals under the current key every value of a sealed column that still uses an older key.
 * These tables are small (OAuth clients, environment variables), so they are read whole; each row
 * is updated only if it still holds the envelope that was read.
 */
export async function resealColumn<T extends ObjectLiteral>(
  dataSource: DataSource,
  sealer: Sealer,
  target: SealedColumn<T>,
): Promise<{ resealed: number; failed: Array<{ id: string; reason: string }> }> {
  const repo = dataSource.getRepository(target.entity);
  const current = `cas1.${sealer.currentKid}.`;
  const failed: Array<{ id: string; reason: string }> = [];
  let resealed = 0;
  for (const row of await repo.find()) {
    const value = row[target.column] as unknown;
    if (!target.isSealed(row) || typeof value !== "string" || !SealerClass.isSealed(value) || value.startsWith(current)) continue;
    try {
      const context = target.contextOf(row);
      const next = sealer.seal(sealer.open(value, context), context);
      const unchanged = target.unchangedSince ? target.unchangedSince(row) : { [target.column]: value };
      const result = await repo.update({ ...target.idOf(row), ...unchanged } as never, { [target.column]: next } as never);
      if (result.affected) resealed += 1;
    } catch (error) {
      failed.push({ id: JSON.stringify(target.idOf(row)), reason: error instanceof SealError ? error.detail : (error as Error).message });
    }
  }
  return { resealed, failed };
}
