import type { DataSource } from "typeorm";
import { mayActIn, type Principal } from "../../auth/principal";
import type { AccountSubject, AccountViewer } from "../../authz/account-access";
import { isIdentityKnown } from "../../authz/account-subject";
import { entityColumns, type EntityColumns } from "../../db/entity-rows";
import { preparedRows } from "../../db/prepared";
import type { WorkspaceRole } from "../workspaces/member.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";
import { AccountEntity } from "../accounts/account.entity";
import type { SealedField } from "../accounts/credential-vault";

/**
 * The account's columns a credential read uses (its answer, authorization, token freshness, the
 * connection for requests): 15 of its 29, so the hot path neither reads nor hydrates the others
 * (leases, refresh bookkeeping, errors, versions).
 */
export const CREDENTIAL_ACCOUNT_FIELDS = [
  "id",
  "workspaceId",
  "appSlug",
  "nickname",
  "ownerMemberId",
  "scopes",
  "externalId",
  "externalName",
  "fingerprint",
  "healthStatus",
  "expiresAt",
  "lastRefreshedAt",
  "nextRefreshAt",
  "connectedAt",
  "connection",
] as const satisfies ReadonlyArray<keyof AccountEntity>;

/** An account as a credential read holds it. */
export type CredentialAccount = Pick<AccountEntity, (typeof CREDENTIAL_ACCOUNT_FIELDS)[number]>;

/** Everything a credential read needs, from one statement. */
export interface CredentialReadFacts {
  account: CredentialAccount;
  /** The caller as a member of the account's workspace; null when they are not one (or their API token is for another workspace). */
  viewer: AccountViewer | null;
  subject: AccountSubject;
  sealed: SealedField[];
}

interface Row extends Record<string, unknown> {
  v_member_id: string | null;
  v_role: WorkspaceRole | null;
  w_admins_manage_access: unknown;
  grantees: string | null;
  s_field: string | null;
  s_envelope: string | null;
}

/**
 * The token fetch's read: the account, the caller's membership, the workspace's setting, the
 * account's grantees and its sealed fields, in ONE prepared statement (one row per sealed field).
 * The same facts the loaders gather for every other operation in four or five queries; on the
 * path every step run takes, each round trip to the database is most of the cost.
 */
export class CredentialReadQuery {
  private readonly accounts: EntityColumns<CredentialAccount>;
  private readonly sql: string;
  private readonly adminsManageAccess;

  constructor(private readonly dataSource: DataSource) {
    this.accounts = entityColumns(dataSource, AccountEntity, "a", CREDENTIAL_ACCOUNT_FIELDS) as EntityColumns<CredentialAccount>;
    this.adminsManageAccess = dataSource.getMetadata(WorkspaceEntity).findColumnWithPropertyName("adminsManageAccess")!;
    // Grantee keys are UUIDs or `workspace`: no commas, so GROUP_CONCAT's default separator is safe
    // (the same function and default on MariaDB and SQLite).
    this.sql = [
      `SELECT ${this.accounts.select},`,
      "  w.admins_manage_access AS w_admins_manage_access, m.id AS v_member_id, m.role AS v_role,",
      "  (SELECT GROUP_CONCAT(g.grantee_key) FROM account_grants g WHERE g.account_id = a.id) AS grantees,",
      "  s.field AS s_field, s.envelope AS s_envelope",
      "FROM accounts a",
      "JOIN workspaces w ON w.id = a.workspace_id",
      "LEFT JOIN members m ON m.workspace_id = a.workspace_id AND m.user_id = ?",
      // The refresh token is read for the account's owner only: nobody else is ever given it.
      "LEFT JOIN account_secrets s ON s.account_id = a.id AND s.workspace_id = a.workspace_id",
      "  AND (s.field <> 'oauth_refresh_token' OR a.owner_member_id = m.id)",
      "WHERE a.id = ?",
    ].join("\n");
  }

  /** The facts for `accountId` as `principal` sees it; null when there is no such account. */
  async load(principal: Principal, accountId: string): Promise<CredentialReadFacts | null> {
    const rows = await preparedRows<Row>(this.dataSource, this.sql, [principal.userId, accountId]);
    const first = rows[0];
    if (!first) return null;
    const account = this.accounts.hydrate(first)!;
    const viewer: AccountViewer | null =
      first.v_member_id === null || first.v_role === null || !mayActIn(principal, account.workspaceId)
        ? null
        : {
            workspaceId: account.workspaceId,
            memberId: first.v_member_id,
            role: first.v_role,
            adminsManageAccess: this.dataSource.driver.prepareHydratedValue(first.w_admins_manage_access, this.adminsManageAccess) as boolean,
          };
    return {
      account,
      viewer,
      subject: {
        workspaceId: account.workspaceId,
        ownerMemberId: account.ownerMemberId,
        grantees: first.grantees ? first.grantees.split(",") : [],
        identityKnown: isIdentityKnown(account),
      },
      sealed: rows.filter((r) => r.s_field !== null).map((r) => ({ field: r.s_field!, envelope: r.s_envelope! })),
    };
  }
}
