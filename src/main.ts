import "reflect-metadata";
import { ConfigError, loadConfig } from "./config";
import { startService } from "./server";
import { ensureDevWorkspace } from "./dev-bootstrap";

// Process entry: configuration (fails fast, naming the variable), then the service, then signals.
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const service = await startService(config);
  service.logger.info({ url: service.url, database: config.database.kind, production: config.production }, "listening");
  if (config.auth.devTokens) await ensureDevWorkspace(service);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, "shutting down");
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("The service could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
