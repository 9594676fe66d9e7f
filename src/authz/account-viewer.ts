import type { Loaders } from "../context";
import type { AccountEntity } from "../modules/accounts/account.entity";
import type { GrantEntity } from "../modules/grants/grant.entity";
import type { AccountSubject, AccountViewer } from "./account-access";

/** Who the caller is to accounts of a workspace (null when they are not a member). Batched per request. */
export async function resolveAccountViewer(loaders: Loaders, workspaceId: string): Promise<AccountViewer | null> {
  const [membership, workspace] = await Promise.all([
    loaders.workspaces.viewerMembership.load(workspaceId),
    loaders.workspaces.workspaceById.load(workspaceId),
  ]);
  if (!membership || !workspace) return null;
  return { workspaceId, memberId: membership.id, role: membership.role, adminsManageAccess: workspace.adminsManageAccess };
}

/** Whether a claim of this account can be verified: its external identity or key fingerprint is known. */
export function isIdentityKnown(account: Pick<AccountEntity, "externalId" | "fingerprint">): boolean {
  return account.externalId !== null || account.fingerprint !== null;
}

/** The facts about an account the matrix needs. */
export function subjectOf(
  account: Pick<AccountEntity, "workspaceId" | "ownerMemberId"> & { identityKnown: boolean },
  grants: readonly Pick<GrantEntity, "granteeKey">[],
): AccountSubject {
  return {
    workspaceId: account.workspaceId,
    ownerMemberId: account.ownerMemberId,
    grantees: grants.map((g) => g.granteeKey),
    identityKnown: account.identityKnown,
  };
}
