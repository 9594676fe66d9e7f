import type { DataSource, EntityManager } from "typeorm";
import type { Principal } from "../../auth/principal";
import { authorizeAccount, type AccountViewer } from "../../authz/account-access";
import type { AccountOperation } from "../../authz/account-matrix";
import { isIdentityKnown, subjectOf } from "../../authz/account-subject";
import { resolveAccountViewer } from "../workspaces/account-viewer";
import type { Loaders } from "../loaders";
import { afterCommit, inTransaction, lockRow } from "../../db/transactions";
import { entityColumns } from "../../db/entity-rows";
import { newId } from "../../db/ids";
import { AppError, badInput, forbidden, notFound } from "../../errors/app-error";
import { cleanName, cleanOptionalText } from "../../validation/text";
import { decodeCursor, encodeCursor, pageSizeOf } from "../../db/pagination";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AuditActor, AuditService } from "../audit/audit.service";
import { GrantEntity, WORKSPACE_GRANTEE } from "./grant.entity";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import { AccountEntity, newAccount, type HealthStatus } from "./account.entity";
import { validateCredentials, type CredentialInput } from "./account-credentials";
import { checkCredentialsAtApp, type ExternalIdentity } from "./app-check";
import type { CredentialVault } from "./credential-vault";
import type { EventLog } from "../../events/event-log";
import { NO_CONNECTION_VALUES, checkLearnedValue, checkParameters, parseConnection, storeConnection } from "../apps/app-connection";
import type { AppDefinition, ConnectionValues } from "../apps/app-definition";
import { learnValues } from "../proxy/learned-values";
import { metrics } from "../../observability/metrics";

/** An account the caller may see, with what was loaded to decide so. */
export interface VisibleAccount {
  account: AccountEntity;
  grants: GrantEntity[];
  viewer: AccountViewer;
}

/** Sharing states an accounts list can filter on. */
export type SharedState = "PRIVATE" | "WORKSPACE" | "MEMBERS";

/** Filters of the accounts list. */
export interface AccountFilter {
  appSlug?: string | null;
  ownerMemberId?: string | null;
  shared?: SharedState | null;
  health?: HealthStatus | null;
  search?: string | null;
}

/** Input of connectKeyAccount. */
export interface ConnectKeyAccountCommand {
  workspaceId: string;
  appSlug: string;
  nickname?: string | null;
  credentials: CredentialInput[];
  verify?: boolean | null;
  /** The app's connection parameters (a subdomain, a region), for tenant apps. */
  parameters?: ReadonlyArray<{ name: string; value: string }> | null;
}

/** One legacy account to import. */
export interface LegacyAccountImport {
  appSlug: string;
  nickname: string;
  credentials: CredentialInput[];
  createdAt?: Date | null;
  externalId?: string | null;
  externalName?: string | null;
  /** A tenant app's connection parameters, and the values the earlier system had learned (each checked like at connect). */
  parameters?: ReadonlyArray<{ name: string; value: string }> | null;
  learned?: ReadonlyArray<{ name: string; value: string }> | null;
}

const NICKNAME_MAX = 120;
const IMPORT_MAX = 500;

const cleanNickname = (nickname: string): string => cleanName(nickname, "nickname", NICKNAME_MAX);

// LIKE with '!' as the escape character: a backslash would need different quoting on MariaDB
// (where it escapes inside string literals) and SQLite (where it does not).
function likePattern(search: string): string {
  return `%${search.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Connected accounts: connect, list, rename, reconnect (and claim), share, revoke, delete, import. */
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly vault: CredentialVault,
    private readonly audit: AuditService,
    private readonly providerTimeoutMs: number,
    private readonly events: EventLog,
    private readonly revoker?: { revoke(account: AccountEntity, credentials: Readonly<Record<string, string>>): Promise<boolean> },
  ) {}

  // What modules above this one do, in the deleting transaction, when an account goes (the
  // workflows module marks the steps that used it). Registered at wiring time, so this module
  // never imports theirs.
  private readonly deletionHooks: Array<(manager: EntityManager, accountId: string) => Promise<void>> = [];

  /** Runs `hook` in the transaction of every account deletion, before the account row goes. */
  onDelete(hook: (manager: EntityManager, accountId: string) => Promise<void>): void {
    this.deletionHooks.push(hook);
  }

  /** An account the caller may view (NOT_FOUND otherwise), authorized for `operation` (FORBIDDEN otherwise). */
  async authorize(loaders: Loaders, accountId: string, operation: AccountOperation): Promise<VisibleAccount> {
    const account = await loaders.accounts.accountById.load(accountId);
    if (!account) throw notFound("Account");
    const [viewer, grants] = await Promise.all([
      resolveAccountViewer(loaders.workspaces, account.workspaceId),
      loaders.accounts.grantsByAccount.load(account.id),
    ]);
    authorizeAccount(viewer, subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grants), operation);
    return { account, grants, viewer: viewer! };
  }

  /**
   * A page of the accounts the caller may view in a workspace, newest first. Visibility is decided
   * in SQL (so pages are full and counts are right) by the same rule as the matrix's `view` row:
   * OWNER/ADMIN see every account; a member sees what they own and what is shared with them.
   */
  async list(loaders: Loaders, workspaceId: string, filter: AccountFilter, page: { first?: number | null; after?: string | null }) {
    const viewer = await resolveAccountViewer(loaders.workspaces, workspaceId);
    if (!viewer) throw notFound("Workspace");
    const size = pageSizeOf(page.first);
    // Plain SQL rather than the query builder: a page of 100 is a hot read (see entity-rows.ts).
    const where: string[] = [];
    const params: unknown[] = [];
    const and = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    const grantExists = (condition: string) => `EXISTS (SELECT 1 FROM account_grants g WHERE g.account_id = a.id AND ${condition})`;
    and("a.workspace_id = ?", workspaceId);
    if (viewer.role === "MEMBER") and(`(a.owner_member_id = ? OR ${grantExists("g.grantee_key IN (?, ?)")})`, viewer.memberId, WORKSPACE_GRANTEE, viewer.memberId);
    if (filter.appSlug) and("a.app_slug = ?", filter.appSlug);
    if (filter.ownerMemberId) and("a.owner_member_id = ?", filter.ownerMemberId);
    if (filter.health) and("a.health_status = ?", filter.health);
    if (filter.search?.trim()) and("a.nickname LIKE ? ESCAPE '!'", likePattern(filter.search.trim()));
    if (filter.shared === "PRIVATE") and(`NOT ${grantExists("1 = 1")}`);
    if (filter.shared === "WORKSPACE") and(grantExists("g.grantee_key = ?"), WORKSPACE_GRANTEE);
    if (filter.shared === "MEMBERS") and(`${grantExists("g.grantee_key <> ?")} AND NOT ${grantExists("g.grantee_key = ?")}`, WORKSPACE_GRANTEE, WORKSPACE_GRANTEE);
    if (page.after) and("a.id < ?", decodeCursor(page.after, 1)[0]);
    const columns = entityColumns(this.dataSource, AccountEntity, "a");
    const raw = (await this.dataSource.query(`SELECT ${columns.select} FROM accounts a WHERE ${where.join(" AND ")} ORDER BY a.id DESC LIMIT ${size + 1}`, params)) as Array<Record<string, unknown>>;
    const rows = raw.map((row) => columns.hydrate(row)!);
    const nodes = rows.slice(0, size);
    const last = nodes[nodes.length - 1];
    return { nodes, pageInfo: { endCursor: last ? encodeCursor([last.id]) : null, hasNextPage: rows.length > size } };
  }

  /** Connects a key-based (or HTTP Basic) account: validated, optionally checked at the app, sealed, private. */
  async connectKeyAccount(principal: Principal, loaders: Loaders, command: ConnectKeyAccountCommand): Promise<AccountEntity> {
    const viewer = await resolveAccountViewer(loaders.workspaces, command.workspaceId);
    if (!viewer) throw notFound("Workspace");
    const app = this.apps.get(command.appSlug);
    const values = validateCredentials(app, command.credentials);
    const nickname = cleanNickname(command.nickname ?? app.name);
    const connection = await this.connectionOf(app, command.parameters, values);
    const identity = await this.check(app.slug, values, command.verify ?? true, connection);
    const account = newAccount({
      id: newId(),
      workspaceId: command.workspaceId,
      appSlug: app.slug,
      nickname,
      ownerMemberId: viewer.memberId,
      externalId: identity.id,
      externalName: identity.name,
      fingerprint: this.vault.fingerprint(values),
      connection: storeConnection(connection),
    });
    await inTransaction(this.dataSource, async (manager) => {
      await this.events.lockFor(manager, account.workspaceId);
      await manager.insert(AccountEntity, account);
      await this.vault.store(manager, account, values, { replace: false });
      await this.audit.record(manager, account.workspaceId, actorOf(principal, viewer), "ACCOUNT_CONNECTED", account.id, {
        appSlug: app.slug,
        nickname,
      });
      await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_CONNECTED", accountId: account.id, details: { appSlug: app.slug } }]);
    });
    return account;
  }

  /** Renames an account (the owner; OWNER/ADMIN per the matrix's rename rules). */
  async rename(principal: Principal, loaders: Loaders, accountId: string, nickname: string): Promise<AccountEntity> {
    const { account, viewer } = await this.authorize(loaders, accountId, "rename");
    const clean = cleanNickname(nickname);
    const updatedAt = new Date();
    await inTransaction(this.dataSource, async (manager) => {
      const renamed = await manager.update(AccountEntity, { id: account.id }, { nickname: clean, updatedAt });
      if (!renamed.affected) throw notFound("Account");
      await this.audit.record(manager, account.workspaceId, actorOf(principal, viewer), "ACCOUNT_RENAMED", account.id, {
        from: account.nickname,
        to: clean,
      });
    });
    return Object.assign(account, { nickname: clean, updatedAt });
  }

  /**
   * Replaces the credentials of a key-based account, same id (its "reconnect"). On a legacy
   * (ownerless) account this is the claim: the credentials must match the stored fingerprint (and
   * the stored external identity, when the app can tell), and the caller becomes the owner; the
   * account keeps its grants.
   */
  async reconnectKeyAccount(
    principal: Principal,
    loaders: Loaders,
    accountId: string,
    credentials: CredentialInput[],
    verify: boolean,
  ): Promise<{ account: AccountEntity; claimed: boolean }> {
    const { account, viewer } = await this.authorize(loaders, accountId, "reconnect");
    const app = this.apps.get(account.appSlug);
    const values = validateCredentials(app, credentials);
    const claiming = account.ownerMemberId === null;
    if (claiming && account.fingerprint && !this.vault.fingerprintMatches(account.fingerprint, values)) {
      throw forbidden("These credentials are not the ones this account holds; nothing was changed.", { reason: "IDENTITY_MISMATCH" });
    }
    // The same tenant (the account's parameters); what the new credentials tell is learned again.
    const stored = Object.entries(parseConnection(account.connection).parameters).map(([name, value]) => ({ name, value }));
    const connection = await this.connectionOf(app, stored, values);
    const identity = await this.check(app.slug, values, verify, connection);
    if (claiming && account.externalId && identity.id !== null && identity.id !== account.externalId) {
      throw forbidden("These credentials belong to another identity at the app; nothing was changed.", { reason: "IDENTITY_MISMATCH" });
    }
    const now = new Date();
    const changes = {
      ownerMemberId: claiming ? viewer.memberId : account.ownerMemberId,
      fingerprint: this.vault.fingerprint(values),
      externalId: identity.id ?? account.externalId,
      externalName: identity.name ?? account.externalName,
      healthStatus: "HEALTHY" as const,
      lastError: null,
      connection: storeConnection(connection),
      connectedAt: now,
      updatedAt: now,
      version: account.version + 1,
    };
    await inTransaction(this.dataSource, async (manager) => {
      if (account.healthStatus !== "HEALTHY") await this.events.lockFor(manager, account.workspaceId);
      if (account.healthStatus !== "HEALTHY") afterCommit(manager, () => metrics.healthChanged("HEALTHY", account.appSlug));
      const result = await manager.update(AccountEntity, { id: account.id, version: account.version }, changes);
      if (!result.affected) {
        if (!(await manager.findOneBy(AccountEntity, { id: account.id }))) throw notFound("Account");
        throw new ConcurrentChangeError();
      }
      await this.vault.store(manager, account, values);
      await this.audit.record(
        manager,
        account.workspaceId,
        actorOf(principal, viewer),
        claiming ? "ACCOUNT_CLAIMED" : "ACCOUNT_CREDENTIALS_UPDATED",
        account.id,
        claiming ? { previousOwner: null } : {},
      );
      if (account.healthStatus !== "HEALTHY") {
        await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_RECOVERED", accountId: account.id, details: { from: account.healthStatus } }]);
      }
    }).catch((error: unknown) => {
      if (error instanceof ConcurrentChangeError) throw badInput("The account changed meanwhile; reload it and try again.", "accountId");
      throw error;
    });
    return { account: Object.assign(account, changes), claimed: claiming };
  }

  /** Deletes an account: its sealed credentials and grants go with it; the deletion is audited. */
  async delete(principal: Principal, loaders: Loaders, accountId: string): Promise<AccountEntity> {
    const { account, viewer, grants } = await this.authorize(loaders, accountId, "delete");
    const app = this.apps.find(account.appSlug);
    // Read what the provider revocation needs before the secrets go with the account.
    const credentials = app?.oauth?.revocationUrl && this.revoker ? await this.vault.open(this.dataSource, account) : null;
    await inTransaction(this.dataSource, async (manager) => {
      await this.events.lockFor(manager, account.workspaceId);
      // Deleted meanwhile by someone else: one deletion, one event, one audit entry.
      if (!(await lockRow(manager, "accounts", account.id))) throw notFound("Account");
      for (const hook of this.deletionHooks) await hook(manager, account.id);
      await manager.delete(AccountEntity, { id: account.id });
      await this.audit.record(manager, account.workspaceId, actorOf(principal, viewer), "ACCOUNT_DELETED", account.id, {
        appSlug: account.appSlug,
        nickname: account.nickname,
      });
      // Who could see the account as it was: the deleted account cannot be re-read at delivery.
      const subject = subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grants);
      await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_DELETED", accountId: account.id, details: { appSlug: account.appSlug }, subject }]);
    });
    if (credentials && this.revoker) {
      const pending = this.revoker.revoke(account, credentials);
      this.pendingRevocations.add(pending);
      void pending.finally(() => this.pendingRevocations.delete(pending));
    }
    return account;
  }

  /** Revocations at providers still in flight (best effort, after the local delete). */
  readonly pendingRevocations = new Set<Promise<boolean>>();

  /** Shares an account with the whole workspace and/or chosen members; all or nothing. */
  async share(
    principal: Principal,
    loaders: Loaders,
    accountId: string,
    targets: { workspace: boolean; memberIds: string[] },
  ): Promise<AccountEntity> {
    const { account, viewer } = await this.authorize(loaders, accountId, "manageAccess");
    const keys = await this.granteeKeys(loaders, account, targets);
    const grantees = keys.filter((k) => k !== WORKSPACE_GRANTEE);
    if (account.ownerMemberId && grantees.includes(account.ownerMemberId)) {
      throw badInput("The owner always has access to their account.", "memberIds");
    }
    await inTransaction(this.dataSource, async (manager) => {
      await this.events.lockFor(manager, account.workspaceId);
      // Deleted since it was authorized (a concurrent delete): nothing to share or revoke.
      if (!(await lockRow(manager, "accounts", account.id))) throw notFound("Account");
      const existing = await manager.findBy(GrantEntity, { accountId: account.id });
      const duplicate = keys.filter((k) => existing.some((g) => g.granteeKey === k));
      if (duplicate.length > 0) throw badGrant("CONFLICT", "The account is already shared with", duplicate);
      const now = new Date();
      await manager.insert(
        GrantEntity,
        keys.map((key) =>
          Object.assign(new GrantEntity(), {
            id: newId(),
            workspaceId: account.workspaceId,
            accountId: account.id,
            granteeKey: key,
            memberId: key === WORKSPACE_GRANTEE ? null : key,
            grantedByMemberId: viewer.memberId,
            createdAt: now,
          }),
        ),
      );
      await this.audit.record(manager, account.workspaceId, actorOf(principal, viewer), "ACCOUNT_SHARED", account.id, {
        workspace: targets.workspace,
        memberIds: grantees,
      });
      await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_ACCESS_CHANGED", accountId: account.id, details: { granted: keys, revoked: [] } }]);
    });
    loaders.accounts.grantsByAccount.clear(account.id);
    return account;
  }

  /** Revokes grants; each must exist; all or nothing. */
  async revoke(
    principal: Principal,
    loaders: Loaders,
    accountId: string,
    targets: { workspace: boolean; memberIds: string[] },
  ): Promise<AccountEntity> {
    const { account, viewer } = await this.authorize(loaders, accountId, "manageAccess");
    const keys = await this.granteeKeys(loaders, account, targets, false);
    await inTransaction(this.dataSource, async (manager) => {
      await this.events.lockFor(manager, account.workspaceId);
      // Deleted since it was authorized (a concurrent delete): nothing to share or revoke.
      if (!(await lockRow(manager, "accounts", account.id))) throw notFound("Account");
      const existing = await manager.findBy(GrantEntity, { accountId: account.id });
      const missing = keys.filter((k) => !existing.some((g) => g.granteeKey === k));
      if (missing.length > 0) throw badGrant("NOT_FOUND", "The account is not shared with", missing);
      for (const key of keys) await manager.delete(GrantEntity, { accountId: account.id, granteeKey: key });
      await this.audit.record(manager, account.workspaceId, actorOf(principal, viewer), "ACCOUNT_ACCESS_REVOKED", account.id, {
        workspace: targets.workspace,
        memberIds: keys.filter((k) => k !== WORKSPACE_GRANTEE),
      });
      await this.events.append(manager, account.workspaceId, [{ kind: "ACCOUNT_ACCESS_CHANGED", accountId: account.id, details: { granted: [], revoked: keys } }]);
    });
    loaders.accounts.grantsByAccount.clear(account.id);
    return account;
  }

  /**
   * Imports accounts from an earlier system as legacy accounts: no owner, shared with the whole
   * workspace, credentials sealed, fingerprinted so that a member can later claim one by proving
   * they hold the same credentials. OWNER/ADMIN only; all or nothing.
   */
  async importLegacy(principal: Principal, loaders: Loaders, workspaceId: string, items: LegacyAccountImport[]): Promise<AccountEntity[]> {
    const viewer = await resolveAccountViewer(loaders.workspaces, workspaceId);
    if (!viewer) throw notFound("Workspace");
    if (!WORKSPACE_POLICY[viewer.role].manageWorkspace) throw forbidden("Only owners and admins can import accounts.");
    if (items.length === 0 || items.length > IMPORT_MAX) throw badInput(`Import 1 to ${IMPORT_MAX} accounts at a time.`, "accounts");
    const now = new Date();
    const prepared = items.map((item, index) => {
      const app = this.apps.find(item.appSlug);
      if (!app) throw badInput(`accounts[${index}]: unknown app "${item.appSlug}".`, "accounts");
      const values = app.authType === "OAUTH2" ? validateOAuthImport(item.credentials, index) : validateCredentials(app, item.credentials);
      const createdAt = item.createdAt ?? now;
      if (createdAt.getTime() > now.getTime()) throw badInput(`accounts[${index}]: createdAt is in the future.`, "accounts");
      const account = newAccount({
        id: newId(createdAt.getTime()),
        workspaceId,
        appSlug: app.slug,
        nickname: cleanNickname(item.nickname),
        ownerMemberId: null,
        externalId: cleanOptionalText(item.externalId, `accounts[${index}].externalId`, 190, "name"),
        externalName: cleanOptionalText(item.externalName, `accounts[${index}].externalName`, 190, "name"),
        fingerprint: app.authType === "OAUTH2" ? null : this.vault.fingerprint(values),
        connection: storeConnection(importedConnection(app, item, values, index)),
        createdAt,
      });
      // Its URLs stay on the app's hosts, or nothing is imported.
      this.apps.urlsFor(app, parseConnection(account.connection));
      return { account, values };
    });
    await inTransaction(this.dataSource, async (manager) => {
      for (const { account, values } of prepared) {
        await manager.insert(AccountEntity, account);
        await this.vault.store(manager, account, values, { replace: false });
        await manager.insert(
          GrantEntity,
          Object.assign(new GrantEntity(), {
            id: newId(),
            workspaceId,
            accountId: account.id,
            granteeKey: WORKSPACE_GRANTEE,
            memberId: null,
            grantedByMemberId: null,
            createdAt: account.createdAt,
          }),
        );
        await this.audit.record(manager, workspaceId, actorOf(principal, viewer), "ACCOUNT_IMPORTED", account.id, {
          appSlug: account.appSlug,
          nickname: account.nickname,
        });
      }
    });
    return prepared.map((p) => p.account);
  }

  // Members named in a grant or revoke must belong to the account's workspace.
  private async granteeKeys(
    loaders: Loaders,
    account: AccountEntity,
    targets: { workspace: boolean; memberIds: string[] },
    checkMembers = true,
  ): Promise<string[]> {
    const memberIds = [...new Set(targets.memberIds)];
    if (!targets.workspace && memberIds.length === 0) throw badInput("Name the workspace or at least one member.", "memberIds");
    if (checkMembers && memberIds.length > 0) {
      const members = await loaders.workspaces.memberById.loadMany(memberIds);
      const outside = memberIds.filter((_, i) => {
        const m = members[i];
        return !m || m instanceof Error || m.workspaceId !== account.workspaceId;
      });
      if (outside.length > 0) {
        throw badInput("Some of these are not members of the account's workspace.", "memberIds");
      }
    }
    return [...(targets.workspace ? [WORKSPACE_GRANTEE] : []), ...memberIds];
  }

  /**
   * A key-based connection's values: its parameters (checked), and what it learns from its
   * credentials (a part of a key) or a follow-up request made with them, each checked; a value
   * that would take the account off the app's hosts is refused before anything is stored.
   */
  private async connectionOf(app: AppDefinition, given: ConnectKeyAccountCommand["parameters"], credentials: Record<string, string>): Promise<ConnectionValues> {
    const parameters = checkParameters(app, given);
    const learned = app.learned?.length
      ? await learnValues(app, { credentials }, parameters, this.providerTimeoutMs, {
          dial: (url) => this.apps.dial(url),
          resolve: (template, values, field) => this.apps.resolveUrl(app, template, values, field),
        })
      : {};
    return { parameters, learned };
  }

  private async check(appSlug: string, values: Record<string, string>, verify: boolean, connection: ConnectionValues = NO_CONNECTION_VALUES): Promise<ExternalIdentity> {
    const app = this.apps.get(appSlug);
    // Refused even without verifying: the connection's URLs must stay on the app's hosts.
    const apiBaseUrl = this.apps.apiBaseUrl(app, connection);
    if (!verify) return { id: null, name: null };
    return checkCredentialsAtApp(app, apiBaseUrl, values, this.providerTimeoutMs, { connection, dial: (url) => this.apps.dial(url) });
  }
}

class ConcurrentChangeError extends Error {}

function actorOf(principal: Principal, viewer: AccountViewer): AuditActor {
  return { userId: principal.userId, memberId: viewer.memberId };
}

function badGrant(code: "CONFLICT" | "NOT_FOUND", message: string, keys: string[]): AppError {
  const who = keys.map((k) => (k === WORKSPACE_GRANTEE ? "the whole workspace" : `member ${k}`)).join(", ");
  return new AppError(code, `${message} ${who}; nothing was changed.`, { grantees: keys });
}

function validateOAuthImport(credentials: CredentialInput[], index: number): Record<string, string> {
  const allowed = new Set(["oauth_access_token", "oauth_refresh_token"]);
  const values: Record<string, string> = {};
  for (const { name, value } of credentials) {
    if (!allowed.has(name)) throw badInput(`accounts[${index}]: OAuth imports take oauth_access_token and oauth_refresh_token only.`, "accounts");
    if (value.trim()) values[name] = value.trim();
  }
  if (!values.oauth_access_token && !values.oauth_refresh_token) {
    throw badInput(`accounts[${index}]: an OAuth import needs an access or refresh token.`, "accounts");
  }
  return values;
}

// The connection values of an imported account: its parameters, the learned values it brings
// (checked as if learned now: no provider is called during an import), and what its credentials tell.
function importedConnection(app: AppDefinition, item: LegacyAccountImport, credentials: Record<string, string>, index: number): ConnectionValues {
  const where = `accounts[${index}]`;
  const parameters = checkParameters(app, item.parameters);
  const learned: Record<string, string> = {};
  const given = new Map((item.learned ?? []).map((l) => [l.name, l.value]));
  for (const spec of app.learned ?? []) {
    const raw = spec.from === "credential" ? credentials[spec.path] : given.get(spec.name);
    if (raw === undefined) throw badInput(`${where}: ${app.name} needs the learned value ${spec.name} (${spec.label}).`, "accounts");
    learned[spec.name] = checkLearnedValue(app, spec.name, raw);
    given.delete(spec.name);
  }
  if (given.size > 0) throw badInput(`${where}: ${app.name} learns no value ${[...given.keys()][0]!.slice(0, 60)}.`, "accounts");
  return { parameters, learned };
}
