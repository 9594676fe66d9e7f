import type { DataSource } from "typeorm";
import type { Principal } from "../../auth/principal";
import { deleteInBatches, quoteName, updateInBatches } from "../../db/batch-delete";
import { inTransaction, lockRow } from "../../db/transactions";
import { badInput, forbidden, notFound } from "../../errors/app-error";
import type { EventBus } from "../../events/event-bus";
import type { Logger } from "../../logging/logger";
import { AccountEntity } from "../accounts/account.entity";
import { AccountSecretEntity } from "../accounts/account-secret.entity";
import type { CredentialVault } from "../accounts/credential-vault";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { WebhookService } from "../webhooks/webhook.service";
import { MemberEntity } from "../workspaces/member.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { workspaceTables, type WorkspaceTable } from "./workspace-tables";

/** What a sealed value is overwritten with before its row goes (valid JSON, for JSON columns too). */
const DESTROYED = '""';

/** The provider revocation of one account (the accounts module's OAuthRevoker). */
export interface GrantRevoker {
  revoke(account: AccountEntity, credentials: Readonly<Record<string, string>>): Promise<boolean>;
}

export interface DeletionSettings {
  /** How long one instance holds a deletion before another may take it over (renewed as it goes). */
  leaseMs: number;
  /** Rows per DELETE (and per overwrite) statement. */
  batchSize: number;
  /** Provider revocations in flight at once. */
  revocationConcurrency: number;
  /** How often each instance looks for deletions to finish (a crashed instance's), first at start; 0: never. */
  sweepMs: number;
  /** How long deleteWorkspace waits for the deletion to finish before answering DELETING. */
  answerWithinMs: number;
}

/** A grant the provider did not confirm revoking (it answered an error, or not in time). */
export interface RevocationFailure {
  accountId: string;
  appSlug: string;
}

export interface DeletionReport {
  workspaceId: string;
  /** DELETED: every row is gone. DELETING: still going (in the background, or after a restart). */
  status: "DELETED" | "DELETING";
  grantsRevoked: number;
  revocationFailures: RevocationFailure[];
  webhooksNotified: number;
  /** Rows deleted per table (this run's; a resumed deletion counts what was left). */
  rowsDeleted: Record<string, number>;
}

/**
 * Deleting a workspace and everything it holds. It happens in two parts:
 *
 * 1. `begin` (one transaction): the workspace is marked deleting and its members are removed.
 *    Every read is authorized through a membership (SPEC §3), so from that commit on nobody sees
 *    anything of it, on any instance; its subscribers are closed (WORKSPACE_DELETED) through the bus.
 * 2. `finish` (resumable, under a lease on the workspace row): each OAuth grant is revoked at its
 *    provider where the app has a revocation endpoint (bounded concurrency, the provider deadline
 *    per call; a failure is reported and does not stop the deletion) and its account deleted right
 *    after, so a resumed run revokes only what is left; the webhooks get a last WORKSPACE_DELETED;
 *    then every table is emptied of the workspace in short batches, sealed values overwritten
 *    before their rows go; the workspace row last.
 *
 * A crash anywhere leaves the mark: every instance looks for marked workspaces whose lease has
 * lapsed (at start and every `sweepMs`) and finishes them.
 */
export class WorkspaceDeletionService {
  private readonly tables: WorkspaceTable[];
  // Where an account's sealed credentials are, to overwrite them before the account goes.
  private readonly secrets: { table: string; envelope: string; account: string };
  private sweeper: NodeJS.Timeout | null = null;
  private readonly running = new Map<string, Promise<DeletionReport>>();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceService,
    private readonly apps: AppCatalogService,
    private readonly vault: CredentialVault,
    private readonly revoker: GrantRevoker,
    private readonly webhooks: WebhookService,
    private readonly bus: EventBus,
    private readonly settings: DeletionSettings,
    private readonly logger: Logger,
  ) {
    this.tables = workspaceTables(dataSource);
    const secrets = dataSource.getMetadata(AccountSecretEntity);
    this.secrets = {
      table: secrets.tableName,
      envelope: secrets.findColumnWithPropertyName("envelope")!.databaseName,
      account: secrets.findColumnWithPropertyName("accountId")!.databaseName,
    };
  }

  /**
   * deleteWorkspace: an OWNER, signed in (not an API token), with the workspace's name typed
   * back. Answers once the deletion is done, or after `answerWithinMs` with DELETING (it goes on).
   */
  async request(principal: Principal, loaders: WorkspaceLoaders, workspaceId: string, confirmName: string): Promise<DeletionReport> {
    if (principal.apiToken) throw forbidden("API tokens cannot delete a workspace; sign in to do this.");
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].deleteWorkspace) throw forbidden("Only owners can delete the workspace.");
    const workspace = await loaders.workspaceById.load(workspaceId);
    if (!workspace) throw notFound("Workspace");
    if (confirmName.trim() !== workspace.name) throw badInput("Type the workspace's name exactly as it is to confirm the deletion.", "confirmName");
    if (!(await this.begin(workspaceId, `member ${membership.id}`))) throw notFound("Workspace");
    return this.finishWithin(workspaceId, this.settings.answerWithinMs);
  }

  /**
   * Marks the workspace deleting and removes its members, in one transaction; this instance holds
   * the deletion's lease. False when there is no such workspace, or its deletion already began.
   */
  async begin(workspaceId: string, by: string): Promise<boolean> {
    const began = await inTransaction(this.dataSource, async (manager) => {
      if (!(await lockRow(manager, "workspaces", workspaceId))) return false;
      const now = new Date();
      const marked = await manager
        .createQueryBuilder()
        .update(WorkspaceEntity)
        .set({ deletingAt: now, deletionLeaseUntil: new Date(now.getTime() + this.settings.leaseMs), updatedAt: now })
        .where("id = :id AND deleting_at IS NULL", { id: workspaceId })
        .execute();
      if (!marked.affected) return false;
      // Their API tokens and per-member grants go with them (foreign keys); owned accounts become ownerless until they go too.
      await manager.delete(MemberEntity, { workspaceId });
      return true;
    });
    if (began) {
      this.logger.info({ workspaceId, by }, "workspace deletion began");
      this.bus.publishWorkspaceGone(workspaceId);
    }
    return began;
  }

  /**
   * Finishes a deletion this instance holds (after `begin`), answering after at most `ms`: DELETING
   * if it goes on, or if it stopped on an error (the workspace is gone for everyone already; the
   * sweep finishes it once the lease lapses, and the error is logged).
   */
  async finishWithin(workspaceId: string, ms: number): Promise<DeletionReport> {
    const run = this.run(workspaceId).catch(() => emptyReport(workspaceId, "DELETING"));
    let timer: NodeJS.Timeout | undefined;
    const pending = new Promise<DeletionReport>((resolve) => {
      timer = setTimeout(() => resolve(emptyReport(workspaceId, "DELETING")), ms);
      timer.unref();
    });
    try {
      return await Promise.race([run, pending]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Finishes a deletion this instance holds (after `begin`, or a successful `takeOver`), however long it takes. */
  complete(workspaceId: string): Promise<DeletionReport> {
    return this.run(workspaceId);
  }

  /** Takes over a marked deletion whose lease has lapsed (the operator's command on a stuck one); false while an instance holds it. */
  takeOver(workspaceId: string): Promise<boolean> {
    return this.claim(workspaceId);
  }

  /** Finishes every marked deletion no instance holds (a crashed one's); resolves once they are done. */
  async resumePending(): Promise<DeletionReport[]> {
    const rows = await this.dataSource
      .getRepository(WorkspaceEntity)
      .createQueryBuilder("w")
      .select("w.id", "id")
      .where("w.deleting_at IS NOT NULL")
      .andWhere("(w.deletion_lease_until IS NULL OR w.deletion_lease_until < :now)", { now: new Date() })
      .orderBy("w.deleting_at")
      .limit(20)
      .getRawMany<{ id: string }>();
    const reports: DeletionReport[] = [];
    for (const { id } of rows) {
      if (this.stopped) break;
      if (this.running.has(id) || !(await this.claim(id))) continue;
      this.logger.info({ workspaceId: id }, "resuming an interrupted workspace deletion");
      reports.push(await this.run(id));
    }
    return reports;
  }

  /** Looks for interrupted deletions now and every `sweepMs` (0: never; the operator's command finishes them). */
  start(): void {
    if (this.settings.sweepMs <= 0) return;
    const sweep = () =>
      void this.resumePending().catch((error: unknown) => this.logger.warn({ err: { message: (error as Error).message } }, "workspace deletion sweep failed; retried at the next one"));
    setImmediate(sweep);
    this.sweeper = setInterval(sweep, this.settings.sweepMs);
    this.sweeper.unref();
  }

  /** Stops sweeping and waits for deletions in flight to stop at their next step (another instance, or the next start, finishes them). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.allSettled([...this.running.values()]);
  }

  // One run per workspace in this process; a second caller shares it.
  private run(workspaceId: string): Promise<DeletionReport> {
    let run = this.running.get(workspaceId);
    if (!run) {
      run = this.finish(workspaceId).finally(() => this.running.delete(workspaceId));
      this.running.set(workspaceId, run);
      run.catch((error: unknown) => this.logger.warn({ workspaceId, err: { message: (error as Error).message } }, "workspace deletion stopped; the next sweep goes on"));
    }
    return run;
  }

  private async claim(workspaceId: string): Promise<boolean> {
    const now = new Date();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(WorkspaceEntity)
      .set({ deletionLeaseUntil: new Date(now.getTime() + this.settings.leaseMs) })
      .where("id = :id AND deleting_at IS NOT NULL", { id: workspaceId })
      .andWhere("(deletion_lease_until IS NULL OR deletion_lease_until < :now)", { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  private async renew(workspaceId: string): Promise<void> {
    if (this.stopped) throw new Error("stopping");
    await this.dataSource
      .createQueryBuilder()
      .update(WorkspaceEntity)
      .set({ deletionLeaseUntil: new Date(Date.now() + this.settings.leaseMs) })
      .where("id = :id AND deleting_at IS NOT NULL", { id: workspaceId })
      .execute();
  }

  private async finish(workspaceId: string): Promise<DeletionReport> {
    const report = emptyReport(workspaceId, "DELETING");
    const workspace = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    if (!workspace?.deletingAt) return { ...report, status: workspace ? "DELETING" : "DELETED" };

    await this.revokeGrants(workspaceId, report);
    const announced = await this.webhooks.announceWorkspaceDeleted(workspaceId, {
      deletedAt: workspace.deletingAt.toISOString(),
      revocationFailures: report.revocationFailures,
    });
    report.webhooksNotified = announced.delivered;

    const batch = this.settings.batchSize;
    const between = () => this.renew(workspaceId);
    for (const { table, workspaceColumn, sealedColumns } of this.tables) {
      const where = `${quoteName(this.dataSource, workspaceColumn)} = ?`;
      for (const column of sealedColumns) {
        const sealed = `${where} AND ${quoteName(this.dataSource, column)} <> ?`;
        await updateInBatches(this.dataSource, table, column, DESTROYED, sealed, [workspaceId, DESTROYED], batch);
      }
      const deleted = await deleteInBatches(this.dataSource, table, where, [workspaceId], batch, { between });
      if (deleted > 0) report.rowsDeleted[table] = (report.rowsDeleted[table] ?? 0) + deleted;
      await between();
    }
    await inTransaction(this.dataSource, (manager) => manager.createQueryBuilder().delete().from(WorkspaceEntity).where("id = :id AND deleting_at IS NOT NULL", { id: workspaceId }).execute());
    report.rowsDeleted.workspaces = 1;
    report.status = "DELETED";
    this.logger.info(
      { workspaceId, grantsRevoked: report.grantsRevoked, revocationFailures: report.revocationFailures.length, webhooksNotified: report.webhooksNotified, rowsDeleted: report.rowsDeleted },
      "workspace deleted",
    );
    return report;
  }

  /**
   * Revokes each OAuth grant of the workspace whose app has a revocation endpoint, then deletes
   * that account (its sealed tokens overwritten first), so that a resumed deletion revokes only
   * the grants still there. An account a refresh still holds (its lease) waits for the lease.
   */
  private async revokeGrants(workspaceId: string, report: DeletionReport): Promise<void> {
    const repo = this.dataSource.getRepository(AccountEntity);
    const revocable = (account: AccountEntity) => Boolean(this.apps.find(account.appSlug)?.oauth?.revocationUrl);
    let after = "";
    for (;;) {
      const page = await repo
        .createQueryBuilder("a")
        .where("a.workspace_id = :workspaceId AND a.id > :after", { workspaceId, after })
        .orderBy("a.id")
        .limit(this.settings.batchSize)
        .getMany();
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const targets = page.filter(revocable);
      for (let i = 0; i < targets.length; i += this.settings.revocationConcurrency) {
        await Promise.all(targets.slice(i, i + this.settings.revocationConcurrency).map((account) => this.revokeAndDelete(account, report)));
        await this.renew(workspaceId);
      }
    }
  }

  private async revokeAndDelete(account: AccountEntity, report: DeletionReport): Promise<void> {
    // A refresh in flight (it started before the mark) writes the token it gets: wait for it, so
    // the grant revoked is the current one.
    for (let current: AccountEntity | null = account; current?.leaseUntil && current.leaseUntil.getTime() > Date.now(); ) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(250, current!.leaseUntil!.getTime() - Date.now() + 10)));
      current = await this.dataSource.getRepository(AccountEntity).findOneBy({ id: account.id });
    }
    let credentials: Record<string, string> | null = null;
    try {
      credentials = await this.vault.open(this.dataSource, account);
    } catch {
      // Sealed under a key no longer configured: nothing to revoke with.
    }
    if (credentials?.oauth_refresh_token || credentials?.oauth_access_token) {
      if (await this.revoker.revoke(account, credentials)) report.grantsRevoked += 1;
      else report.revocationFailures.push({ accountId: account.id, appSlug: account.appSlug });
    }
    const { table, envelope, account: accountColumn } = this.secrets;
    await inTransaction(this.dataSource, async (manager) => {
      const q = (name: string) => quoteName(this.dataSource, name);
      await manager.query(`UPDATE ${q(table)} SET ${q(envelope)} = ? WHERE ${q(accountColumn)} = ?`, [DESTROYED, account.id]);
      await manager.delete(AccountEntity, { id: account.id });
    });
    report.rowsDeleted.accounts = (report.rowsDeleted.accounts ?? 0) + 1;
  }
}

function emptyReport(workspaceId: string, status: DeletionReport["status"]): DeletionReport {
  return { workspaceId, status, grantsRevoked: 0, revocationFailures: [], webhooksNotified: 0, rowsDeleted: {} };
}
