import "reflect-metadata";
import { recreateMariaDatabase } from "../../scripts/lib/scratch-database";
import { openDataSource } from "../../src/data-source";
import { runMigrations } from "../../src/db/migrate";
import { MARIADB_TEST_DATABASE, TEST_DB, mariadbUrl } from "./test-database";

/**
 * MariaDB runs share one database: recreate it and migrate it once, from scratch, before any test
 * (each test then works in workspaces of its own). SQLite tests each get a fresh file instead.
 */
export default async function globalSetup(): Promise<void> {
  if (TEST_DB !== "mariadb") return;
  await recreateMariaDatabase(MARIADB_TEST_DATABASE);
  const dataSource = await openDataSource({
    kind: "mariadb",
    url: mariadbUrl(),
    poolSize: 2,
    connectTimeoutMs: 5000,
    acquireTimeoutMs: 5000,
    queryTimeoutMs: 30000,
    migrate: true,
  });
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
