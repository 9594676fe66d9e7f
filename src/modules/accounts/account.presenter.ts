import { isIdentityKnown } from "../../authz/account-viewer";
import type { AccountEntity } from "./account.entity";
import { AccountHealthType, AccountType, ExternalIdentityType } from "./account.type";

/** Copies the exposed fields of an account, and only those: no credential ever leaves through here. */
export function presentAccount(entity: AccountEntity): AccountType {
  return Object.assign(new AccountType(), {
    id: entity.id,
    workspaceId: entity.workspaceId,
    nickname: entity.nickname,
    appSlug: entity.appSlug,
    ownerMemberId: entity.ownerMemberId,
    isLegacy: entity.ownerMemberId === null,
    identityKnown: isIdentityKnown(entity),
    scopes: JSON.parse(entity.scopes) as string[],
    externalIdentity:
      entity.externalId || entity.externalName
        ? Object.assign(new ExternalIdentityType(), { id: entity.externalId, displayName: entity.externalName })
        : null,
    health: Object.assign(new AccountHealthType(), {
      status: entity.healthStatus,
      lastError: entity.lastError,
      expiresAt: entity.expiresAt,
      lastRefreshedAt: entity.lastRefreshedAt,
      nextRefreshAt: entity.nextRefreshAt,
    }),
    connectedAt: entity.connectedAt,
    createdAt: entity.createdAt,
  });
}
