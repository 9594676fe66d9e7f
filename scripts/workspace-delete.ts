/**
 * Deletes a workspace and everything it holds, for an erasure request (the same as an OWNER's
 * deleteWorkspace: grants revoked at providers, subscribers closed, webhooks told, every row gone):
 *   npm run workspace:delete -- <workspace id>          asks for the workspace's name on a terminal
 *   npm run workspace:delete -- <workspace id> --yes    no question (scripts)
 * A deletion already under way (interrupted by a crash) is finished. Prints the report as JSON
 * (ids and counts, never a secret); log lines go to stderr. Exit codes: 0 deleted, 1 failed,
 * 2 refused (no confirmation, no such workspace), 3 another instance is deleting it right now.
 */
import "reflect-metadata";
import readline from "node:readline/promises";
import pino from "pino";
import { loadConfig } from "../src/config";
import { openDataSource } from "../src/data-source";
import { LocalEventBus, RedisEventBus, type EventBus } from "../src/events/event-bus";
import { createLogger } from "../src/logging/logger";
import { WorkspaceEntity } from "../src/modules/workspaces/workspace.entity";
import { createServices } from "../src/services";

async function confirm(name: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`Type the workspace's name (${JSON.stringify(name)}) to delete it and everything it holds: `)).trim() === name;
  } finally {
    rl.close();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const workspaceId = args.find((a) => !a.startsWith("--"));
  if (!workspaceId) {
    console.error("usage: npm run workspace:delete -- <workspace id> [--yes]");
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel, pino.destination(2));
  const dataSource = await openDataSource(config.database);
  // With Redis, the running instances hear of it at once (their subscribers close); without, at their next head poll.
  const bus: EventBus = config.realtime.redisUrl ? await RedisEventBus.connect(config.realtime.redisUrl, logger) : new LocalEventBus();
  try {
    const services = createServices(dataSource, config, logger, bus);
    const workspace = await dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    if (!workspace) {
      console.error(`no workspace ${workspaceId}`);
      return 2;
    }
    if (!workspace.deletingAt) {
      if (!args.includes("--yes") && !(await confirm(workspace.name))) {
        console.error("not deleted: the name was not confirmed (on a terminal type it; in a script pass --yes)");
        return 2;
      }
      if (!(await services.deletions.begin(workspaceId, "operator"))) {
        console.error("the workspace's deletion began meanwhile elsewhere");
        return 3;
      }
    } else if (!(await services.deletions.takeOver(workspaceId))) {
      console.error("an instance is deleting this workspace right now; it will finish (or run this again once its lease lapses)");
      return 3;
    }
    const report = await services.deletions.complete(workspaceId);
    console.log(JSON.stringify(report, null, 2));
    return report.status === "DELETED" ? 0 : 1;
  } finally {
    await bus.close();
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
