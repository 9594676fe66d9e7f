/**
 * Writes a workspace as JSON, for a tenant leaving: members, accounts (metadata only, never a
 * credential), grants, workflows and steps, environment variable names, OAuth clients and webhook
 * endpoints without secrets, API tokens without hashes, and the audit trail.
 *   npm run workspace:export -- <workspace id> > export.json
 *   npm run workspace:export -- <workspace id> --out export.json
 * Exit codes: 0 written, 1 failed, 2 no such workspace (or its deletion has begun).
 */
import "reflect-metadata";
import fs from "node:fs";
import { once } from "node:events";
import { loadConfig } from "../src/config";
import { openDataSource } from "../src/data-source";
import { WorkspaceExportService } from "../src/modules/lifecycle/workspace-export.service";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const workspaceId = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--out");
  const outIndex = args.indexOf("--out");
  const outPath = outIndex >= 0 ? args[outIndex + 1] : undefined;
  if (!workspaceId || (outIndex >= 0 && !outPath)) {
    console.error("usage: npm run workspace:export -- <workspace id> [--out file.json]");
    return 2;
  }
  const config = loadConfig();
  const dataSource = await openDataSource(config.database);
  // Owner-only file when written to disk: the export holds people's emails and the audit trail.
  const out = outPath ? fs.createWriteStream(outPath, { mode: 0o600 }) : process.stdout;
  try {
    const write = async (chunk: string) => {
      if (!out.write(chunk)) await once(out, "drain");
    };
    if (!(await new WorkspaceExportService(dataSource).export(workspaceId, write))) {
      console.error(`no workspace ${workspaceId}`);
      return 2;
    }
    return 0;
  } finally {
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as fs.WriteStream).end(() => resolve()));
    await dataSource.destroy();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
