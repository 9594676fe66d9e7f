import { randomUUID } from "node:crypto";
import type { RunningService } from "../../src/server";
import { MemberEntity, type WorkspaceRole } from "../../src/modules/workspaces/member.entity";
import { WorkspaceEntity } from "../../src/modules/workspaces/workspace.entity";
import { AccountEntity, newAccount } from "../../src/modules/accounts/account.entity";
import { GrantEntity, WORKSPACE_GRANTEE } from "../../src/modules/accounts/grant.entity";
import { newId } from "../../src/db/ids";
import { inTransaction } from "../../src/db/transactions";
import { newStep, type StepEntity } from "../../src/modules/workflows/workflow.entity";

/** A user id no other test uses. */
export const uniqueUser = (prefix = "user"): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Saves a workspace with an OWNER (a fresh user unless given). */
export async function buildWorkspace(
  service: RunningService,
  overrides: { owner?: string; name?: string; adminsManageAccess?: boolean } = {},
): Promise<{ workspace: WorkspaceEntity; owner: MemberEntity }> {
  const now = new Date();
  const workspace = Object.assign(new WorkspaceEntity(), {
    id: randomUUID(),
    name: overrides.name ?? `Workspace ${randomUUID().slice(0, 6)}`,
    adminsManageAccess: overrides.adminsManageAccess ?? false,
    eventSeq: 0,
    deletingAt: null,
    deletionLeaseUntil: null,
    createdAt: now,
    updatedAt: now,
  });
  await service.dataSource.getRepository(WorkspaceEntity).insert(workspace);
  const owner = await buildMember(service, workspace.id, { role: "OWNER", userId: overrides.owner ?? uniqueUser("owner") });
  return { workspace, owner };
}

/** Saves a member of a workspace (a MEMBER with a fresh user id unless given). */
export async function buildMember(
  service: RunningService,
  workspaceId: string,
  overrides: { role?: WorkspaceRole; userId?: string; displayName?: string } = {},
): Promise<MemberEntity> {
  const now = new Date();
  const member = Object.assign(new MemberEntity(), {
    id: randomUUID(),
    workspaceId,
    userId: overrides.userId ?? uniqueUser(),
    role: overrides.role ?? "MEMBER",
    displayName: overrides.displayName ?? null,
    email: null,
    createdAt: now,
    updatedAt: now,
  });
  await service.dataSource.getRepository(MemberEntity).insert(member);
  return member;
}

/** A workspace with one member of each role, plus a user from another workspace. */
export async function buildTeam(service: RunningService) {
  const { workspace, owner } = await buildWorkspace(service);
  const admin = await buildMember(service, workspace.id, { role: "ADMIN" });
  const member = await buildMember(service, workspace.id, { role: "MEMBER" });
  const other = await buildWorkspace(service);
  return { workspace, owner, admin, member, outsider: other.owner, otherWorkspace: other.workspace };
}

/** Credentials used for SendGrid test accounts (a key of the app's format). */
export const sendgridKey = (tag = randomUUID().replace(/-/g, "")) => `SG.${tag.slice(0, 22)}.${tag.padEnd(43, "x").slice(0, 43)}`;

/**
 * Saves a connected account with sealed credentials (through the real vault) and grants.
 * `owner: null` makes a legacy account; `grants` lists `"workspace"` and/or member ids.
 */
export async function buildAccount(
  service: RunningService,
  overrides: {
    workspaceId: string;
    owner: MemberEntity | null;
    appSlug?: string;
    nickname?: string;
    credentials?: Record<string, string>;
    grants?: string[];
    externalId?: string | null;
    fingerprint?: boolean;
  },
): Promise<AccountEntity> {
  const now = new Date();
  const credentials = overrides.credentials ?? { api_key: sendgridKey() };
  const account = newAccount({
    id: newId(),
    workspaceId: overrides.workspaceId,
    appSlug: overrides.appSlug ?? "sendgrid",
    nickname: overrides.nickname ?? `Account ${randomUUID().slice(0, 6)}`,
    ownerMemberId: overrides.owner?.id ?? null,
    externalId: overrides.externalId ?? null,
    fingerprint: overrides.fingerprint === false ? null : service.services.vault.fingerprint(credentials),
  });
  // Through inTransaction: serialized on SQLite, so factories may run in parallel there too.
  await inTransaction(service.dataSource, async (manager) => {
    await manager.insert(AccountEntity, account);
    await service.services.vault.store(manager, account, credentials, { replace: false });
    for (const grantee of overrides.grants ?? []) {
      await manager.insert(
        GrantEntity,
        Object.assign(new GrantEntity(), {
          id: newId(),
          workspaceId: account.workspaceId,
          accountId: account.id,
          granteeKey: grantee,
          memberId: grantee === WORKSPACE_GRANTEE ? null : grantee,
          grantedByMemberId: overrides.owner?.id ?? null,
          createdAt: now,
        }),
      );
    }
  });
  return account;
}

/** A step row to insert directly (bulk set-ups that would take hundreds of mutations). */
export function newStepRow(fields: { workflowId: string; workspaceId: string; position: number; accountId: string | null; appSlug: string | null; name?: string; id?: string }): StepEntity {
  return newStep({ kind: "ACTION", ...fields, id: fields.id ?? newId(), name: fields.name ?? `Step ${fields.position}` });
}
