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
import { openDataSource } from "../src/db/data-source";
import { CredentialVault } from "../src/modules/accounts/credential-vault";

async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await openDataSource(config.database);
  try {
    const sealer = new Sealer(loadKeyRing(config));
    const report = await new CredentialVault(sealer).resealAll(dataSource);
    console.log(`re-sealed ${report.resealed} secret(s) and ${report.refingerprinted} fingerprint(s) under key ${sealer.currentKid}`);
    for (const failure of report.failed) console.error(`could not re-seal account ${failure.accountId} (${failure.field}): ${failure.reason}`);
    if (report.failed.length > 0) process.exitCode = 2;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
