import "reflect-metadata";
import type { DataSource } from "typeorm";
import { openDataSource, type DatabaseSettings } from "../../src/data-source";
import { runMigrations } from "../../src/db/migrate";

/** The SQL that would bring a database migrated from scratch in line with the entities. */
export async function pendingSchemaChanges(settings: DatabaseSettings): Promise<{
  up: string[];
  down: string[];
}> {
  const dataSource: DataSource = await openDataSource(settings);
  try {
    await runMigrations(dataSource);
    const log = await dataSource.driver.createSchemaBuilder().log();
    return {
      up: log.upQueries.map((q) => q.query),
      down: log.downQueries.map((q) => q.query).reverse(),
    };
  } finally {
    await dataSource.destroy();
  }
}
