import { randomUUID } from "node:crypto";
import type { RunningService } from "../../src/server";
import { MemberEntity, type WorkspaceRole } from "../../src/modules/workspaces/member.entity";
import { WorkspaceEntity } from "../../src/modules/workspaces/workspace.entity";

/** A user id no other test uses. */
export const uniqueUser = (prefix = "user"): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Saves a workspace with an OWNER (a fresh user unless given). */
export async function buildWorkspace(
  service: RunningService,
  overrides: { owner?: string; name?: string } = {},
): Promise<{ workspace: WorkspaceEntity; owner: MemberEntity }> {
  const now = new Date();
  const workspace = Object.assign(new WorkspaceEntity(), {
    id: randomUUID(),
    name: overrides.name ?? `Workspace ${randomUUID().slice(0, 6)}`,
    createdAt: now,
    updatedAt: now,
  });
  await service.dataSource.getRepository(WorkspaceEntity).insert(workspace);
  const owner = await buildMember(service, workspace.id, { role: "OWNER", userId: overrides.owner ?? uniqueUser("owner") });
  return { workspace, owner };
}

/** Saves a member of a workspace (a MEMBER with a fresh user id unless given). */
export async function buildMember(
  service: RunningService,
  workspaceId: string,
  overrides: { role?: WorkspaceRole; userId?: string; displayName?: string } = {},
): Promise<MemberEntity> {
  const now = new Date();
  const member = Object.assign(new MemberEntity(), {
    id: randomUUID(),
    workspaceId,
    userId: overrides.userId ?? uniqueUser(),
    role: overrides.role ?? "MEMBER",
    displayName: overrides.displayName ?? null,
    email: null,
    createdAt: now,
    updatedAt: now,
  });
  await service.dataSource.getRepository(MemberEntity).insert(member);
  return member;
}

/** A workspace with one member of each role, plus a user from another workspace. */
export async function buildTeam(service: RunningService) {
  const { workspace, owner } = await buildWorkspace(service);
  const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
  const member = await buildMember(service, workspace.id, { role: "MEMBER" });
  const other = await buildWorkspace(service);
  return { workspace, owner, admin, member, outsider: other.owner, otherWorkspace: other.workspace };
}
