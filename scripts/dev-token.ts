/**
 * Mints a dev token for the embedded default (dev tokens must be on). Prints only the token:
 *   TOKEN=$(npm run -s token -- --user alice --name "Alice" --email alice@example.test --ttl 3600)
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config";
import { loadOrCreateDevKey, mintDevToken } from "../src/auth/dev-keys";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      user: { type: "string", default: "dev-user" },
      name: { type: "string" },
      email: { type: "string" },
      ttl: { type: "string", default: String(12 * 3600) },
    },
  });
  const config = loadConfig();
  if (!config.auth.devTokens) throw new Error("Dev tokens are off here (DEV_TOKENS=false or production).");
  const key = await loadOrCreateDevKey(config.auth.devKeyPath);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error("--ttl must be a positive number of seconds");
  const name = values.name ?? (values.user === "dev-user" ? "Dev User" : undefined);
  process.stdout.write(
    (await mintDevToken(key, config.auth.audience, { sub: values.user!, name, email: values.email }, ttl)) + "\n",
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
