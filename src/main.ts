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

  // A graceful stop: first /readyz answers 503 while everything is still served (load balancers
  // take the instance out), then the listener closes and what was accepted is answered (up to
  // SHUTDOWN_GRACE_MS), then the database and Redis close. A second signal stops at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      service.logger.warn({ signal }, "stopping now");
      process.exit(1);
    }
    stopping = true;
    service.logger.info({ signal, delayMs: config.shutdownDelayMs }, "shutting down");
    service.drain();
    new Promise((resolve) => setTimeout(resolve, config.shutdownDelayMs)).then(() => service.close()).then(
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
