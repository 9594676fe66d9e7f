/** Applies pending migrations to the configured database (SQLite default, or DATABASE_URL), then exits. */
import "reflect-metadata";
import { loadConfig } from "../src/config";
import { openDataSource } from "../src/data-source";
import { runMigrations } from "../src/db/migrate";

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDataSource(config.database);
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `applied: ${applied.join(", ")}` : "nothing to apply");
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
