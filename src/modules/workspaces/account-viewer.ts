import type { AccountViewer } from "../../authz/account-access";
import type { WorkspaceLoaders } from "./workspace.loaders";

/** Who the caller is to accounts of a workspace (null when they are not a member). Batched per request. */
export async function resolveAccountViewer(loaders: WorkspaceLoaders, workspaceId: string): Promise<AccountViewer | null> {
  const [membership, workspace] = await Promise.all([loaders.viewerMembership.load(workspaceId), loaders.workspaceById.load(workspaceId)]);
  if (!membership || !workspace) return null;
  return { workspaceId, memberId: membership.id, role: membership.role, adminsManageAccess: workspace.adminsManageAccess };
}
