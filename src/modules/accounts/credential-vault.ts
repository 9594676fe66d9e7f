import type { DataSource, EntityManager } from "typeorm";
import { SealError, type Sealer } from "../../crypto/sealer";
import { AccountSecretEntity } from "./account-secret.entity";
import { AccountEntity } from "./account.entity";
import { canonicalCredentials } from "./account-credentials";

const TABLE = "account_secrets";

/** A sealed credential as stored: the field and its envelope. */
export interface SealedField {
  field: string;
  envelope: string;
}

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
    return this.openSealed(account, await manager.findBy(AccountSecretEntity, { accountId: account.id, workspaceId: account.workspaceId }));
  }

  /**
   * Opens sealed fields read elsewhere (the token fetch reads them in the same statement as the
   * account), optionally only some of them. Each envelope opens only for this account and field.
   */
  openSealed(account: VaultAccount, sealed: readonly SealedField[], only?: ReadonlySet<string>): Record<string, string> {
    const values: Record<string, string> = {};
    for (const row of sealed) {
      if (only && !only.has(row.field)) continue;
      values[row.field] = this.sealer.open(row.envelope, { workspaceId: account.workspaceId, table: TABLE, rowId: account.id, field: row.field });
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
   * Re-seals, in small batches, every secret not yet under the current key, then recomputes the
   * key fingerprints made with older keys (so legacy claims keep working once old keys are
   * dropped). Each row is updated only if it still holds what was read, so a concurrent reconnect
   * always wins; the service keeps serving throughout (old keys still open what has not moved
   * yet). A row that cannot be opened is reported and skipped, never blocking the others.
   */
  async resealAll(dataSource: DataSource, batchSize = 200): Promise<ResealReport> {
    const current = this.sealer.currentKid;
    const failed: ResealReport["failed"] = [];
    const skip = new Set<string>();
    let resealed = 0;
    for (;;) {
      const rows = (
        await dataSource
          .getRepository(AccountSecretEntity)
          .createQueryBuilder("s")
          .where("s.kid <> :current", { current })
          .orderBy("s.account_id")
          .addOrderBy("s.field")
          .limit(batchSize + skip.size)
          .getMany()
      ).filter((r) => !skip.has(`${r.accountId}/${r.field}`));
      if (rows.length === 0) break;
      for (const row of rows.slice(0, batchSize)) {
        const context = { workspaceId: row.workspaceId, table: TABLE, rowId: row.accountId, field: row.field };
        let envelope: string;
        try {
          envelope = this.sealer.seal(this.sealer.open(row.envelope, context), context);
        } catch (error) {
          failed.push({ accountId: row.accountId, field: row.field, reason: error instanceof SealError ? error.detail : (error as Error).message });
          skip.add(`${row.accountId}/${row.field}`);
          continue;
        }
        const result = await dataSource
          .getRepository(AccountSecretEntity)
          .update({ accountId: row.accountId, field: row.field, envelope: row.envelope }, { envelope, kid: current, updatedAt: new Date() });
        // Not updated: a concurrent writer replaced the row (under the current key); nothing to do.
        if (result.affected) resealed += 1;
        else skip.add(`${row.accountId}/${row.field}`);
      }
    }
    const refingerprinted = await this.refingerprintAll(dataSource, failed);
    return { resealed, refingerprinted, failed };
  }

  // Fingerprints carry the kid they were made with; remake those of older keys.
  private async refingerprintAll(dataSource: DataSource, failed: ResealReport["failed"]): Promise<number> {
    const prefix = `fp1.${this.sealer.currentKid}.`;
    const accounts = await dataSource
      .getRepository(AccountEntity)
      .createQueryBuilder("a")
      .where("a.fingerprint IS NOT NULL")
      .andWhere("a.fingerprint NOT LIKE :prefix", { prefix: `${prefix}%` })
      .getMany();
    let count = 0;
    for (const account of accounts) {
      try {
        const values = await this.open(dataSource, account);
        const result = await dataSource
          .getRepository(AccountEntity)
          .update({ id: account.id, fingerprint: account.fingerprint! }, { fingerprint: this.fingerprint(values) });
        if (result.affected) count += 1;
      } catch (error) {
        failed.push({ accountId: account.id, field: "fingerprint", reason: error instanceof SealError ? error.detail : (error as Error).message });
      }
    }
    return count;
  }
}

/** What a re-seal did. */
export interface ResealReport {
  resealed: number;
  refingerprinted: number;
  failed: Array<{ accountId: string; field: string; reason: string }>;
}
