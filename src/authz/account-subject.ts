import type { AccountSubject } from "./account-access";

/** Whether a claim of this account can be verified: its external identity or key fingerprint is known. */
export function isIdentityKnown(account: { externalId: string | null; fingerprint: string | null }): boolean {
  return account.externalId !== null || account.fingerprint !== null;
}

/** The facts about an account the matrix needs, from the account and its grants. */
export function subjectOf(
  account: { workspaceId: string; ownerMemberId: string | null; identityKnown: boolean },
  grants: readonly { granteeKey: string }[],
): AccountSubject {
  return {
    workspaceId: account.workspaceId,
    ownerMemberId: account.ownerMemberId,
    grantees: grants.map((g) => g.granteeKey),
    identityKnown: account.identityKnown,
  };
}
