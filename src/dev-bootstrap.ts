import { MemberEntity } from "./modules/workspaces/member.entity";
import type { RunningService } from "./server";

/** The user the embedded default's first workspace belongs to. */
export const DEV_USER = { sub: "dev-user", name: "Dev User", email: "dev@example.test" };

/**
 * Embedded default only (dev tokens on): make sure the dev user owns a workspace, and tell the
 * newcomer how to get a token and make a first call. The token itself is never printed to the
 * log (logs must not carry credentials); the command that mints one is.
 */
export async function ensureDevWorkspace(service: RunningService): Promise<void> {
  const members = service.dataSource.getRepository(MemberEntity);
  let membership = await members.findOne({ where: { userId: DEV_USER.sub }, order: { createdAt: "ASC" } });
  if (!membership) {
    const workspace = await service.services.workspaces.createWorkspace(
      { userId: DEV_USER.sub, displayName: DEV_USER.name, email: DEV_USER.email, via: "dev-token" },
      "Dev workspace",
    );
    membership = await members.findOneByOrFail({ workspaceId: workspace.id, userId: DEV_USER.sub });
  }
  const lines = [
    "",
    `Connected Accounts is running on ${service.dataSource.options.type === "better-sqlite3" ? "its embedded default (SQLite" : "MariaDB (external database"}, dev tokens on).`,
    `  GraphQL:   ${service.url}`,
    `  Workspace: ${membership.workspaceId} (owned by ${DEV_USER.sub})`,
    "  Token:     TOKEN=$(npm run -s token -- --user dev-user)",
    `  Try:       curl -s ${service.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `               -d '{"query":"{ viewer { userId workspaces { id name viewerRole } } }"}'`,
    "",
  ];
  process.stderr.write(lines.join("\n") + "\n");
}
