import type { DataSource } from "typeorm";
import { selectEntitiesIn } from "../../db/entity-rows";
import { MemoLoader } from "../../db/memo-loader";
import { GrantEntity } from "./grant.entity";
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
