import type { DataSource } from "typeorm";
import { newId } from "../../db/ids";
import { inTransaction, lockRow } from "../../db/transactions";
import { badInput, conflict, forbidden, notFound } from "../../errors/app-error";
import { checkText, cleanName, cleanOptionalText } from "../../validation/text";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { AppRequestEntity, type AppRequestStatus } from "./app-request.entity";

export const MAX_APP_REQUEST_NAME = 120;
export const MAX_APP_REQUEST_REASON = 1000;
export const MAX_APP_REQUEST_URL = 2048;

/** Input of requestApp. */
export interface RequestAppCommand {
  workspaceId: string;
  name: string;
  url?: string | null;
  reason?: string | null;
}

/** Lower-case, trimmed, inner whitespace collapsed to one space. */
export function normalizeAppName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * Requests for apps the catalog lacks. Any member asks; asking for an app that already has an
 * open request counts one more on it. OWNER/ADMIN read and close them.
 */
export class AppRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly workspaces: WorkspaceService,
  ) {}

  /** Asks for an app (any member): merged into the open request of the same app, else a new one. */
  async request(loaders: WorkspaceLoaders, command: RequestAppCommand): Promise<AppRequestEntity> {
    const member = await this.workspaces.requireMembership(loaders, command.workspaceId);
    const name = cleanAppName(command.name);
    const normalizedName = normalizeAppName(name);
    if (this.inCatalog(normalizedName)) throw badInput(`${name} is already in the catalog.`, "name");
    const url = cleanUrl(command.url);
    const reason = cleanReason(command.reason);
    return inTransaction(this.dataSource, async (manager) => {
      // Serializes requests per workspace, so that two members asking at once merge into one.
      if (!(await lockRow(manager, "workspaces", command.workspaceId))) throw notFound("Workspace");
      const repo = manager.getRepository(AppRequestEntity);
      const now = new Date();
      const open = await repo.findOne({ where: { workspaceId: command.workspaceId, normalizedName, status: "OPEN" }, order: { id: "ASC" } });
      if (open) {
        open.count += 1;
        open.url = open.url ?? url;
        open.reason = open.reason ?? reason;
        open.updatedAt = now;
        await repo.update({ id: open.id }, { count: open.count, url: open.url, reason: open.reason, updatedAt: now });
        return open;
      }
      const created = Object.assign(new AppRequestEntity(), {
        id: newId(now.getTime()),
        workspaceId: command.workspaceId,
        name,
        normalizedName,
        url,
        reason,
        count: 1,
        status: "OPEN" as const,
        requestedByMemberId: member.id,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      });
      await repo.insert(created);
      return created;
    });
  }

  /** A workspace's requests, newest first (OWNER/ADMIN), optionally only OPEN or CLOSED ones. */
  async list(loaders: WorkspaceLoaders, workspaceId: string, status?: AppRequestStatus | null): Promise<AppRequestEntity[]> {
    await this.requireManager(loaders, workspaceId);
    return this.dataSource.getRepository(AppRequestEntity).find({
      where: status ? { workspaceId, status } : { workspaceId },
      order: { createdAt: "DESC", id: "DESC" },
    });
  }

  /** Closes an open request (OWNER/ADMIN); CONFLICT when it is closed already. */
  async close(loaders: WorkspaceLoaders, id: string): Promise<AppRequestEntity> {
    const repo = this.dataSource.getRepository(AppRequestEntity);
    const request = await repo.findOneBy({ id });
    if (!request || !(await loaders.viewerMembership.load(request.workspaceId))) throw notFound("App request");
    await this.requireManager(loaders, request.workspaceId);
    const now = new Date();
    // Conditional, so two concurrent closes cannot both succeed.
    const changed = await repo.update({ id, status: "OPEN" }, { status: "CLOSED", closedAt: now, updatedAt: now });
    if (!changed.affected) throw conflict("The app request is already closed.", { id });
    return Object.assign(request, { status: "CLOSED" as const, closedAt: now, updatedAt: now });
  }

  /** Whether the catalog has an app by this name or slug (compared normalized). */
  private inCatalog(normalizedName: string): boolean {
    if (this.apps.find(normalizedName) || this.apps.find(normalizedName.replace(/ /g, "-"))) return true;
    let after: string | null = null;
    for (;;) {
      const page = this.apps.list({ search: normalizedName }, { first: 100, after });
      if (page.nodes.some((app) => normalizeAppName(app.name) === normalizedName || app.slug === normalizedName)) return true;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return false;
      after = page.pageInfo.endCursor;
    }
  }

  private async requireManager(loaders: WorkspaceLoaders, workspaceId: string): Promise<void> {
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins manage app requests.");
  }
}

// Control characters are refused before whitespace is collapsed, so a tab or line break is refused too.
function cleanAppName(name: string): string {
  if (typeof name === "string") checkText(name, "name", "name");
  return cleanName((name ?? "").replace(/\s+/g, " "), "name", MAX_APP_REQUEST_NAME);
}

function cleanUrl(url: string | null | undefined): string | null {
  const clean = url?.trim() ?? "";
  if (!clean) return null;
  let parsed: URL;
  try {
    parsed = new URL(clean);
  } catch {
    throw badInput("url must be an http(s) URL.", "url");
  }
  if ((parsed.protocol !== "http:" && parsed.protocol !== "https:") || !parsed.hostname) throw badInput("url must be an http(s) URL.", "url");
  if (clean.length > MAX_APP_REQUEST_URL) throw badInput(`url is longer than ${MAX_APP_REQUEST_URL} characters.`, "url");
  checkText(clean, "url", "name");
  return clean;
}

const cleanReason = (reason: string | null | undefined): string | null => cleanOptionalText(reason, "reason", MAX_APP_REQUEST_REASON, "text");
