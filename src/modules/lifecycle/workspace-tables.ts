import type { DataSource } from "typeorm";
import { SEALED_COLUMNS } from "../sealed-columns";
import { AccountSecretEntity } from "../accounts/account-secret.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";

/** Tables that belong to no workspace (the health of the service's own OAuth clients, per app). */
export const GLOBAL_TABLES: ReadonlySet<string> = new Set(["oauth_client_health"]);

/** One table of a workspace's rows, as deletion and export walk them. */
export interface WorkspaceTable {
  table: string;
  /** The column naming the row's workspace. */
  workspaceColumn: string;
  /** Columns holding sealed values: overwritten before their rows are deleted. */
  sealedColumns: string[];
}

/**
 * Every table holding a workspace's rows, read from the entity metadata, in the order deletion
 * goes: a table before every table it references (steps before workflows, accounts before
 * members), the workspaces table itself not included. A table with no `workspace_id` that is not
 * declared global fails here, at startup, so a new table cannot be left out of a deletion.
 */
export function workspaceTables(dataSource: DataSource): WorkspaceTable[] {
  const workspacesTable = dataSource.getMetadata(WorkspaceEntity).tableName;
  const sealed = new Map<string, string[]>();
  const addSealed = (table: string, column: string) => sealed.set(table, [...(sealed.get(table) ?? []), column]);
  const secrets = dataSource.getMetadata(AccountSecretEntity);
  addSealed(secrets.tableName, secrets.findColumnWithPropertyName("envelope")!.databaseName);
  for (const entry of SEALED_COLUMNS) {
    const metadata = dataSource.getMetadata(entry.entity);
    addSealed(metadata.tableName, metadata.findColumnWithPropertyName(String(entry.column))!.databaseName);
  }

  const byTable = new Map(dataSource.entityMetadatas.map((m) => [m.tableName, m]));
  const referencedBy = new Map<string, Set<string>>();
  for (const metadata of dataSource.entityMetadatas) {
    for (const fk of metadata.foreignKeys) {
      const parent = fk.referencedEntityMetadata.tableName;
      if (parent === metadata.tableName) continue;
      if (!referencedBy.has(parent)) referencedBy.set(parent, new Set());
      referencedBy.get(parent)!.add(metadata.tableName);
    }
  }
  const ordered: string[] = [];
  const seen = new Set<string>();
  const visit = (table: string) => {
    if (seen.has(table)) return;
    seen.add(table);
    for (const child of [...(referencedBy.get(table) ?? [])].sort()) visit(child);
    ordered.push(table);
  };
  for (const table of [...byTable.keys()].sort()) visit(table);

  const tables: WorkspaceTable[] = [];
  for (const table of ordered) {
    if (table === workspacesTable || GLOBAL_TABLES.has(table)) continue;
    const column = byTable.get(table)!.columns.find((c) => c.databaseName === "workspace_id");
    if (!column) throw new Error(`Table ${table} has no workspace_id and is not declared global: a workspace's deletion would leave its rows.`);
    tables.push({ table, workspaceColumn: column.databaseName, sealedColumns: sealed.get(table) ?? [] });
  }
  return tables;
}
