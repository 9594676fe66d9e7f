import { In, type DataSource } from "typeorm";
import { accountCapabilities, type AccountSubject, type AccountViewer } from "../authz/account-access";
import { isIdentityKnown, subjectOf } from "../authz/account-subject";
import { mayActIn, type Principal } from "../auth/principal";
import { AccountEntity } from "../modules/accounts/account.entity";
import { GrantEntity } from "../modules/accounts/grant.entity";
import { MemberEntity } from "../modules/workspaces/member.entity";
import { WorkspaceEntity } from "../modules/workspaces/workspace.entity";
import type { AccountEventEntity } from "../events/event.entity";

// Users per membership query: keeps the IN list well inside what both databases accept.
const USERS_PER_QUERY = 500;

/**
 * "May this subscriber view this event's account at the moment of delivery", decided for a batch
 * of events and every subscriber of a workspace at once: the workspace, the subscribers'
 * memberships, the accounts and their grants are read with one set-based query each (whatever
 * the number of subscribers), then each subscriber is judged in memory by the same matrix
 * function the API uses. Deleted accounts are judged on who could view them then.
 */
export class DeliveryAccess {
  private readonly decisions = new Map<AccountEventEntity, Map<string, boolean>>();

  private constructor(
    private readonly workspaceId: string,
    private readonly viewers: Map<string, AccountViewer>,
    private readonly subjects: Map<string, AccountSubject>,
  ) {}

  /** Reads what deciding needs, for the users subscribed and the accounts of `rows`. */
  static async load(dataSource: DataSource, workspaceId: string, userIds: Iterable<string>, rows: readonly AccountEventEntity[]): Promise<DeliveryAccess> {
    const users = [...new Set(userIds)];
    const accountIds = [...new Set(rows.filter((r) => r.kind !== "ACCOUNT_DELETED").map((r) => r.accountId))];
    const [workspace, members, accounts, grants] = await Promise.all([
      dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId }),
      Promise.all(
        Array.from({ length: Math.ceil(users.length / USERS_PER_QUERY) }, (_, i) =>
          dataSource.getRepository(MemberEntity).findBy({ workspaceId, userId: In(users.slice(i * USERS_PER_QUERY, (i + 1) * USERS_PER_QUERY)) }),
        ),
      ).then((chunks) => chunks.flat()),
      accountIds.length ? dataSource.getRepository(AccountEntity).findBy({ id: In(accountIds) }) : Promise.resolve([]),
      accountIds.length ? dataSource.getRepository(GrantEntity).findBy({ accountId: In(accountIds) }) : Promise.resolve([]),
    ]);
    const viewers = new Map<string, AccountViewer>();
    if (workspace) {
      for (const m of members) viewers.set(m.userId, { workspaceId, memberId: m.id, role: m.role, adminsManageAccess: workspace.adminsManageAccess });
    }
    const grantsByAccount = new Map<string, GrantEntity[]>();
    for (const grant of grants) grantsByAccount.set(grant.accountId, [...(grantsByAccount.get(grant.accountId) ?? []), grant]);
    const subjects = new Map<string, AccountSubject>();
    for (const account of accounts) {
      subjects.set(account.id, subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, grantsByAccount.get(account.id) ?? []));
    }
    return new DeliveryAccess(workspaceId, viewers, subjects);
  }

  /** Whether `principal` may receive `row` now. Decided once per user and event. */
  mayView(principal: Principal, row: AccountEventEntity): boolean {
    if (!mayActIn(principal, this.workspaceId)) return false;
    let byUser = this.decisions.get(row);
    if (!byUser) this.decisions.set(row, (byUser = new Map()));
    let decision = byUser.get(principal.userId);
    if (decision === undefined) {
      const viewer = this.viewers.get(principal.userId) ?? null;
      const subject = this.subjectOf(row);
      decision = viewer !== null && subject !== null && accountCapabilities(viewer, subject).view;
      byUser.set(principal.userId, decision);
    }
    return decision;
  }

  private subjectOf(row: AccountEventEntity): AccountSubject | null {
    if (row.kind === "ACCOUNT_DELETED") return (JSON.parse(row.payload) as { subject: AccountSubject | null }).subject;
    return this.subjects.get(row.accountId) ?? null;
  }
}
