/**
 * Re-seals every stored secret under the current key of ENCRYPTION_KEYS (the first one), while
 * the service keeps serving: put the new key first, keep the old ones after it, deploy, run
 *   npm run reseal
 * then drop the old keys once it reports nothing left under them.
 */
import "reflect-metadata";
import { loadConfig } from "../src/config";
import { loadKeyRing } from "../src/crypto/key-ring";
import { Sealer } from "../src/crypto/sealer";
import { openDataSource } from "../src/data-source";
import { CredentialVault } from "../src/modules/accounts/credential-vault";
import type { ObjectLiteral } from "typeorm";
import { resealColumn, type SealedColumn } from "../src/crypto/reseal-columns";
import { SEALED_COLUMNS } from "../src/modules/sealed-columns";

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDataSource(config.database);
  try {
    const sealer = new Sealer(loadKeyRing(config));
    const report = await new CredentialVault(sealer).resealAll(dataSource);
    console.log(`re-sealed ${report.resealed} account secret(s) and ${report.refingerprinted} fingerprint(s) under key ${sealer.currentKid}`);
    for (const failure of report.failed) console.error(`could not re-seal account ${failure.accountId} (${failure.field}): ${failure.reason}`);
    let failed = report.failed.length;
    for (const column of SEALED_COLUMNS) {
      const result = await resealColumn(dataSource, sealer, column as unknown as SealedColumn<ObjectLiteral>);
      console.log(`re-sealed ${result.resealed} value(s) of ${String(column.column)} in ${String(column.entity instanceof Function ? column.entity.name : column.entity)}`);
      for (const failure of result.failed) console.error(`could not re-seal ${failure.id}: ${failure.reason}`);
      failed += result.failed.length;
    }
    if (failed > 0) process.exitCode = 2;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
