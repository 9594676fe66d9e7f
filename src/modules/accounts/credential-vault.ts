import type { DataSource, EntityManager } from "typeorm";
import type { Sealer } from "../../crypto/sealer";
import { AccountSecretEntity } from "./account-secret.entity";
import { canonicalCredentials } from "./account-credentials";

const TABLE = "account_secrets";

/** The account an operation on secrets concerns. */
export interface VaultAccount {
  id: string;
  workspaceId: string;
}

/**
 * The only module that seals and opens account credentials. Everything else sees accounts without
 * secrets; whoever needs a credential asks here, after authorization.
 */
export class CredentialVault {
  constructor(private readonly sealer: Sealer) {}

  /**
   * Seals `values` as the account's credentials (inside the caller's transaction), replacing the
   * ones it had. A new account has none: skipping the delete there avoids InnoDB gap locks that
   * make concurrent connects deadlock.
   */
  async store(
    manager: EntityManager,
    account: VaultAccount,
    values: Readonly<Record<string, string>>,
    options: { replace: boolean } = { replace: true },
  ): Promise<void> {
    const now = new Date();
    if (options.replace) await manager.delete(AccountSecretEntity, { accountId: account.id });
    const rows = Object.entries(values).map(([field, value]) =>
      Object.assign(new AccountSecretEntity(), {
        accountId: account.id,
        field,
        workspaceId: account.workspaceId,
        envelope: this.sealer.seal(value, { workspaceId: account.workspaceId, table: TABLE, rowId: account.id, field }),
        kid: this.sealer.currentKid,
        updatedAt: now,
      }),
    );
    if (rows.length > 0) await manager.insert(AccountSecretEntity, rows);
  }

  /** Opens every credential of an account. */
  async open(db: DataSource | EntityManager, account: VaultAccount): Promise<Record<string, string>> {
    const manager = "manager" in db ? db.manager : db;
    const rows = await manager.findBy(AccountSecretEntity, { accountId: account.id, workspaceId: account.workspaceId });
    const values: Record<string, string> = {};
    for (const row of rows) {
      values[row.field] = this.sealer.open(row.envelope, {
        workspaceId: account.workspaceId,
        table: TABLE,
        rowId: account.id,
        field: row.field,
      });
    }
    return values;
  }

  /** A keyed fingerprint of credential values (never the values themselves). */
  fingerprint(values: Readonly<Record<string, string>>): string {
    return this.sealer.fingerprint(canonicalCredentials(values));
  }

  /** Whether `values` are the credentials a stored fingerprint was made from. */
  fingerprintMatches(stored: string, values: Readonly<Record<string, string>>): boolean {
    return this.sealer.fingerprintMatches(stored, canonicalCredentials(values));
  }

  /**
   * Re-seals, in small batches, every secret not yet under the current key. Each row is updated
   * only if it still holds the envelope that was read, so a concurrent reconnect always wins; the
   * service keeps serving throughout (old keys still open what has not moved yet).
   */
  async resealAll(dataSource: DataSource, batchSize = 200): Promise<{ resealed: number }> {
    const current = this.sealer.currentKid;
    const seen = new Set<string>();
    let resealed = 0;
    for (;;) {
      const rows = await dataSource
        .getRepository(AccountSecretEntity)
        .createQueryBuilder("s")
        .where("s.kid <> :current", { current })
        .orderBy("s.account_id")
        .addOrderBy("s.field")
        .limit(batchSize)
        .getMany();
      if (rows.length === 0) return { resealed };
      // Rows a concurrent writer changed are rewritten under the current key by that writer, so
      // they do not come back; a row that keeps coming back unchanged means updates do not land.
      if (rows.every((r) => seen.has(`${r.accountId}/${r.field}/${r.envelope}`))) throw new Error("Re-sealing made no progress.");
      for (const r of rows) seen.add(`${r.accountId}/${r.field}/${r.envelope}`);
      let moved = 0;
      for (const row of rows) {
        const context = { workspaceId: row.workspaceId, table: TABLE, rowId: row.accountId, field: row.field };
        const envelope = this.sealer.seal(this.sealer.open(row.envelope, context), context);
        const result = await dataSource
          .getRepository(AccountSecretEntity)
          .update({ accountId: row.accountId, field: row.field, envelope: row.envelope }, { envelope, kid: current, updatedAt: new Date() });
        if (result.affected) moved += 1;
      }
      resealed += moved;
    }
  }
}
