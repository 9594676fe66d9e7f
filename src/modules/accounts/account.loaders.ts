import type { DataSource } from "typeorm";
import type { Loaders } from "../../context";
import { selectEntitiesIn } from "../../db/entity-rows";
import { MemoLoader } from "../../graphql/memo-loader";
import { GrantEntity } from "../grants/grant.entity";
import { AccountEntity } from "./account.entity";

/** Batched reads of accounts and their grants for one request. */
export interface AccountLoaders {
  accountById: MemoLoader<string, AccountEntity | null>;
  grantsByAccount: MemoLoader<string, GrantEntity[]>;
}

/** Creates the loaders; each runs one query per batch. */
export function createAccountLoaders(dataSource: DataSource): AccountLoaders {
  return {
    accountById: new MemoLoader(async (ids) => {
      const rows = await selectEntitiesIn(dataSource, AccountEntity, "id", ids);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    grantsByAccount: new MemoLoader(async (accountIds) => {
      const rows = await selectEntitiesIn(dataSource, GrantEntity, "account_id", accountIds, { orderBy: "id" });
      const map = new Map<string, GrantEntity[]>();
      for (const row of rows) {
        const list = map.get(row.accountId);
        if (list) list.push(row);
        else map.set(row.accountId, [row]);
      }
      return accountIds.map((id) => map.get(id) ?? []);
    }),
  };
}

/**
 * Loads everything an accounts page shows besides the accounts themselves (grants, steps using
 * them, their workflows, every member named as owner, grantee or granter), one batched query per
 * kind, so the page's nested fields resolve from memory (MemoLoader.peek): the same statements
 * whatever the page holds, and no promise per field per row. Loads already made cost nothing.
 */
export async function loadAccountPage(loaders: Loaders, accounts: ReadonlyArray<Pick<AccountEntity, "id" | "ownerMemberId">>): Promise<void> {
  if (accounts.length === 0) return;
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
