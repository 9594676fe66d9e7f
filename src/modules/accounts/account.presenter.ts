import type { Loaders } from "../loaders";
import { isIdentityKnown } from "../../authz/account-subject";
import type { AccountEntity } from "./account.entity";
import { AccountHealthType, AccountType, ExternalIdentityType } from "./account.type";
import { parseConnection } from "../apps/app-connection";
import { ConnectionValueType } from "../apps/app.type";

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
    ...presentConnection(entity.connection),
    connectedAt: entity.connectedAt,
    createdAt: entity.createdAt,
  });
}

function presentConnection(stored: string | null): Pick<AccountType, "parameters" | "learnedValues"> {
  if (!stored) return { parameters: [], learnedValues: [] };
  const connection = parseConnection(stored);
  const pairs = (values: Record<string, string>) => Object.entries(values).map(([name, value]) => Object.assign(new ConnectionValueType(), { name, value }));
  return { parameters: pairs(connection.parameters), learnedValues: pairs(connection.learned) };
}

/**
 * Loads everything an accounts page shows besides the accounts themselves (grants, steps using
 * them, their workflows, every member named as owner, grantee or granter), one batched query per
 * kind, so the page's nested fields resolve from memory (MemoLoader.peek): the same statements
 * whatever the page holds, and no promise per field per row. Loads already made cost nothing.
 */
export async function loadAccountPage(loaders: Loaders, accounts: ReadonlyArray<AccountEntity>): Promise<void> {
  if (accounts.length === 0) return;
  // The page's accounts themselves are known: later loads of them cost nothing.
  for (const account of accounts) loaders.accounts.accountById.prime(account.id, account);
  const ids = accounts.map((a) => a.id);
  const [grantLists, stepLists] = await Promise.all([loaders.accounts.grantsByAccount.loadMany(ids), loaders.workflows.stepsByAccount.loadMany(ids)]);
  const memberIds = new Set<string>();
  for (const account of accounts) if (account.ownerMemberId) memberIds.add(account.ownerMemberId);
  for (const grants of grantLists) {
    if (grants instanceof Error) continue;
    for (const grant of grants) {
      if (grant.memberId) memberIds.add(grant.memberId);
      if (grant.grantedByMemberId) memberIds.add(grant.grantedByMemberId);
    }
  }
  const workflowIds = new Set<string>();
  for (const steps of stepLists) if (!(steps instanceof Error)) for (const step of steps) workflowIds.add(step.workflowId);
  await Promise.all([loaders.workspaces.memberById.loadMany([...memberIds]), loaders.workflows.workflowById.loadMany([...workflowIds])]);
}
