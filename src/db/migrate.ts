import type { DataSource } from "typeorm";

const MIGRATION_LOCK = "connected_accounts_migrations";

/**
 * Applies pending migrations. On MariaDB several instances may start at once, so they take a
 * named lock first and the later ones find nothing left to do.
 */
export async function runMigrations(dataSource: DataSource, lockTimeoutSec = 60): Promise<string[]> {
  if (dataSource.options.type !== "mariadb") {
    return (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = (await runner.query("SELECT GET_LOCK(?, ?) AS locked", [MIGRATION_LOCK, lockTimeoutSec])) as Array<{
      locked: number | null;
    }>;
    if (Number(row?.locked) !== 1) throw new Error("Could not take the migration lock in time.");
    try {
      return (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
    } finally {
      await runner.query("SELECT RELEASE_LOCK(?)", [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
