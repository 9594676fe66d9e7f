import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import type { Principal } from "../../auth/principal";
import { MemberEntity } from "./member.entity";
import { WorkspaceEntity } from "./workspace.entity";

/** Batched reads of workspaces and members for one request. */
export interface WorkspaceLoaders {
  workspaceById: DataLoader<string, WorkspaceEntity | null>;
  memberById: DataLoader<string, MemberEntity | null>;
  membersByWorkspace: DataLoader<string, MemberEntity[]>;
  /** The calling user's membership of a workspace (null when they are not in it). */
  viewerMembership: DataLoader<string, MemberEntity | null>;
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
  const workspaces = dataSource.getRepository(WorkspaceEntity);
  const members = dataSource.getRepository(MemberEntity);
  const memberById = new DataLoader<string, MemberEntity | null>(async (ids) =>
    byKey(ids, await members.findBy({ id: In([...ids]) }), (m) => m.id),
  );
  const viewerMembership = new DataLoader<string, MemberEntity | null>(async (workspaceIds) => {
    if (!principal) return workspaceIds.map(() => null);
    // An API token acts only in the workspace it was created in.
    const allowed = principal.apiToken ? workspaceIds.filter((id) => id === principal.apiToken!.workspaceId) : [...workspaceIds];
    if (allowed.length === 0) return workspaceIds.map(() => null);
    const rows = await members.findBy({ userId: principal.userId, workspaceId: In(allowed) });
    for (const row of rows) memberById.prime(row.id, row);
    return byKey(workspaceIds, rows, (m) => m.workspaceId);
  });
  return {
    workspaceById: new DataLoader(async (ids) => byKey(ids, await workspaces.findBy({ id: In([...ids]) }), (w) => w.id)),
    memberById,
    membersByWorkspace: new DataLoader(async (workspaceIds) => {
      const rows = await members.find({
        where: { workspaceId: In([...workspaceIds]) },
        order: { createdAt: "ASC", id: "ASC" },
      });
      for (const row of rows) memberById.prime(row.id, row);
      return groupBy(workspaceIds, rows, (m) => m.workspaceId);
    }),
    viewerMembership,
  };
}
