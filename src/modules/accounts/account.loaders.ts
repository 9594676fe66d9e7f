import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { GrantEntity } from "../grants/grant.entity";
import { AccountEntity } from "./account.entity";

/** Batched reads of accounts and their grants for one request. */
export interface AccountLoaders {
  accountById: DataLoader<string, AccountEntity | null>;
  grantsByAccount: DataLoader<string, GrantEntity[]>;
}

/** Creates the loaders; each runs one query per batch. */
export function createAccountLoaders(dataSource: DataSource): AccountLoaders {
  const accounts = dataSource.getRepository(AccountEntity);
  const grants = dataSource.getRepository(GrantEntity);
  return {
    accountById: new DataLoader(async (ids) => {
      const rows = await accounts.findBy({ id: In([...ids]) });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    grantsByAccount: new DataLoader(async (accountIds) => {
      const rows = await grants.find({ where: { accountId: In([...accountIds]) }, order: { id: "ASC" } });
      const map = new Map<string, GrantEntity[]>();
      for (const row of rows) map.set(row.accountId, [...(map.get(row.accountId) ?? []), row]);
      return accountIds.map((id) => map.get(id) ?? []);
    }),
  };
}
