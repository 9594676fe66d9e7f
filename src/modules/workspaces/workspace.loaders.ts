import type { DataSource } from "typeorm";
import { mayActIn, type Principal } from "../../auth/principal";
import type { AccountViewer } from "../../authz/account-access";
import { entityColumns, placeholders, selectEntitiesIn } from "../../db/entity-rows";
import { MemoLoader } from "../../db/memo-loader";
import { MemberEntity } from "./member.entity";
import { WorkspaceEntity } from "./workspace.entity";

/** Batched reads of workspaces and members for one request. */
export interface WorkspaceLoaders {
  workspaceById: MemoLoader<string, WorkspaceEntity | null>;
  memberById: MemoLoader<string, MemberEntity | null>;
  membersByWorkspace: MemoLoader<string, MemberEntity[]>;
  /** The calling user's membership of a workspace (null when they are not in it). */
  viewerMembership: MemoLoader<string, MemberEntity | null>;
}

function byKey<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): Array<T | null> {
  const map = new Map<K, T>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

function groupBy<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/** Creates the loaders; each issues one query per batch, however many keys it holds. */
export function createWorkspaceLoaders(dataSource: DataSource, principal: Principal | null): WorkspaceLoaders {
  const memberById = new MemoLoader<string, MemberEntity | null>(async (ids) =>
    byKey(ids, await selectEntitiesIn(dataSource, MemberEntity, "id", ids), (m) => m.id),
  );
  const workspaceColumns = entityColumns(dataSource, WorkspaceEntity, "w");
  const memberColumns = entityColumns(dataSource, MemberEntity, "m");
  // The caller's membership is read together with its workspace (one statement, not two): who the
  // caller is to a workspace always needs both. A workspace batch that asks for the same ids at
  // the same time (resolveAccountViewer asks for both at once) waits for that statement instead of
  // running its own.
  const joining = new Map<string, Promise<Map<string, WorkspaceEntity | null>>>();
  const workspaceById = new MemoLoader<string, WorkspaceEntity | null>(async (ids) => {
    const known = new Map<string, WorkspaceEntity | null>();
    for (const read of new Set(ids.map((id) => joining.get(id)))) {
      if (!read) continue;
      try {
        for (const [id, workspace] of await read) known.set(id, workspace);
      } catch {
        // read on our own below
      }
    }
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0) for (const workspace of await selectEntitiesIn(dataSource, WorkspaceEntity, "id", missing)) known.set(workspace.id, workspace);
    return ids.map((id) => known.get(id) ?? null);
  });
  const viewerMembership = new MemoLoader<string, MemberEntity | null>(async (workspaceIds) => {
    if (!principal) return workspaceIds.map(() => null);
    // An API token acts only in the workspace it was created in.
    const allowed = workspaceIds.filter((id) => mayActIn(principal, id));
    if (allowed.length === 0) return workspaceIds.map(() => null);
    const memberships = new Map<string, MemberEntity>();
    const read = (async () => {
      const rows = (await dataSource.query(
        `SELECT ${workspaceColumns.select}, ${memberColumns.select} FROM workspaces w LEFT JOIN members m ON m.workspace_id = w.id AND m.user_id = ? ` +
          `WHERE w.id IN (${placeholders(allowed.length)})`,
        [principal.userId, ...allowed],
      )) as Array<Record<string, unknown>>;
      const workspaces = new Map<string, WorkspaceEntity | null>(allowed.map((id) => [id, null]));
      for (const row of rows) {
        const workspace = workspaceColumns.hydrate(row)!;
        workspaces.set(workspace.id, workspace);
        const member = memberColumns.hydrate(row);
        if (member) memberships.set(member.workspaceId, member);
      }
      return workspaces;
    })();
    for (const id of allowed) joining.set(id, read);
    try {
      for (const [id, workspace] of await read) workspaceById.prime(id, workspace);
    } finally {
      for (const id of allowed) if (joining.get(id) === read) joining.delete(id);
    }
    for (const member of memberships.values()) memberById.prime(member.id, member);
    return workspaceIds.map((id) => memberships.get(id) ?? null);
  });
  return {
    workspaceById,
    memberById,
    membersByWorkspace: new MemoLoader(async (workspaceIds) => {
      const rows = await selectEntitiesIn(dataSource, MemberEntity, "workspace_id", workspaceIds, { orderBy: "created_at, id" });
      for (const row of rows) memberById.prime(row.id, row);
      return groupBy(workspaceIds, rows, (m) => m.workspaceId);
    }),
    viewerMembership,
  };
}

/**
 * The caller as a viewer of a workspace's accounts, from what this request has already loaded:
 * null when they are not a member, undefined when membership or workspace is not loaded yet (then
 * use resolveAccountViewer). The same answer resolveAccountViewer gives, without a promise.
 */
export function peekAccountViewer(loaders: WorkspaceLoaders, workspaceId: string): AccountViewer | null | undefined {
  const membership = loaders.viewerMembership.peek(workspaceId);
  const workspace = loaders.workspaceById.peek(workspaceId);
  if (membership === null) return null;
  if (membership === undefined || workspace === undefined) return undefined;
  if (workspace === null) return null;
  return { workspaceId, memberId: membership.id, role: membership.role, adminsManageAccess: workspace.adminsManageAccess };
}
