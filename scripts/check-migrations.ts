/**
 * Drift gate: migrates an empty database of each dialect from scratch and fails if the entities
 * still differ from the result (the programmatic `migration:generate --check`), or if a
 * migration file is missing from its dialect's index.
 */
import fs from "node:fs";
import path from "node:path";
import { createScratchDatabase } from "./lib/scratch-database";
import { pendingSchemaChanges } from "./lib/schema-diff";

async function main(): Promise<void> {
  let failed = false;
  for (const dialect of ["sqlite", "mariadb"] as const) {
    const dir = path.resolve(__dirname, "..", "migrations", dialect);
    const index = fs.readFileSync(path.join(dir, "index.ts"), "utf8");
    for (const file of fs.readdirSync(dir).filter((f) => /^\d+-\w+\.ts$/.test(f))) {
      if (!index.includes(`"./${file.replace(/\.ts$/, "")}"`)) {
        console.error(`${dialect}: ${file} is not listed in migrations/${dialect}/index.ts`);
        failed = true;
      }
    }
    const settings = await createScratchDatabase(dialect, "ca_migration_check");
    const { up } = await pendingSchemaChanges(settings);
    if (up.length > 0) {
      console.error(`${dialect}: the entities differ from the migrations; run npm run migration:generate -- Name\n  ${up.join("\n  ")}`);
      failed = true;
    } else {
      console.log(`${dialect}: migrations match the entities`);
    }
  }
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
