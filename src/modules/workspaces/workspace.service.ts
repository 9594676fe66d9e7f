import { randomUUID } from "node:crypto";
import { In, type DataSource, type EntityManager } from "typeorm";
import { mayActIn, type Principal } from "../../auth/principal";
import { badInput, conflict, forbidden, notFound } from "../../errors/app-error";
import { inTransaction, lockRow } from "../../db/transactions";
import { MemberEntity, WORKSPACE_ROLES, type WorkspaceRole } from "./member.entity";
import { WorkspaceEntity } from "./workspace.entity";
import type { WorkspaceLoaders } from "./workspace.loaders";
import type { AuditService } from "../audit/audit.service";
import { canAddMember, canChangeRole, canRemoveMember, WORKSPACE_POLICY } from "./workspace.policy";
import { cleanName, findForbiddenCharacter, NAME_MAX } from "../../validation/text";

/** Input of addMember. */
export interface AddMemberCommand {
  workspaceId: string;
  userId: string;
  role: WorkspaceRole;
  displayName?: string | null;
  email?: string | null;
}

const USER_ID_PATTERN = /^[\x21-\x7e]{1,190}$/;
const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]{1,189}$/;


function checkRole(role: string): WorkspaceRole {
  if (!(WORKSPACE_ROLES as readonly string[]).includes(role)) throw badInput("Unknown role.", "role");
  return role as WorkspaceRole;
}

/** Workspaces and their members: who is in which workspace, with which role. */
export class WorkspaceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The caller's membership of a workspace; NOT_FOUND when they are not in it (or it does not exist). */
  async requireMembership(loaders: WorkspaceLoaders, workspaceId: string): Promise<MemberEntity> {
    const membership = await loaders.viewerMembership.load(workspaceId);
    if (!membership) throw notFound("Workspace");
    return membership;
  }

  /** A workspace the caller belongs to. */
  async getWorkspace(loaders: WorkspaceLoaders, workspaceId: string): Promise<WorkspaceEntity> {
    await this.requireMembership(loaders, workspaceId);
    const workspace = await loaders.workspaceById.load(workspaceId);
    if (!workspace) throw notFound("Workspace");
    return workspace;
  }

  /** A member of a workspace the caller belongs to. */
  async getMember(loaders: WorkspaceLoaders, memberId: string): Promise<MemberEntity> {
    const member = await loaders.memberById.load(memberId);
    if (!member || !(await loaders.viewerMembership.load(member.workspaceId))) throw notFound("Member");
    return member;
  }

  /** Every workspace the caller belongs to, oldest membership first (an API token: its own workspace only). */
  async listForUser(principal: Principal, loaders: WorkspaceLoaders): Promise<WorkspaceEntity[]> {
    const all = await this.dataSource.getRepository(MemberEntity).find({
      where: { userId: principal.userId },
      order: { createdAt: "ASC", id: "ASC" },
    });
    // Priming the membership loader skips its own workspace check, so the same rule applies here.
    const memberships = all.filter((m) => mayActIn(principal, m.workspaceId));
    for (const m of memberships) loaders.viewerMembership.prime(m.workspaceId, m);
    const workspaces = await loaders.workspaceById.loadMany(memberships.map((m) => m.workspaceId));
    return workspaces.filter((w): w is WorkspaceEntity => w instanceof WorkspaceEntity);
  }

  /** Creates a workspace with the caller as its first OWNER (a signed-in person, never an API token). */
  async createWorkspace(principal: Principal, name: string): Promise<WorkspaceEntity> {
    if (principal.apiToken) throw forbidden("API tokens act in their own workspace only; sign in to do this.");
    const now = new Date();
    const workspace = Object.assign(new WorkspaceEntity(), {
      id: randomUUID(),
      name: cleanName(name, "name"),
      adminsManageAccess: false,
      eventSeq: 0,
      deletingAt: null,
      deletionLeaseUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    const owner = Object.assign(new MemberEntity(), {
      id: randomUUID(),
      workspaceId: workspace.id,
      userId: principal.userId,
      role: "OWNER" as const,
      // The token's `name` claim is shown to the whole workspace: dropped when it holds characters a name may not.
      displayName: principal.displayName && !findForbiddenCharacter(principal.displayName, "name") ? principal.displayName.slice(0, NAME_MAX) : null,
      email: principal.email && EMAIL_PATTERN.test(principal.email) ? principal.email : null,
      createdAt: now,
      updatedAt: now,
    });
    await inTransaction(this.dataSource, async (manager) => {
      await manager.insert(WorkspaceEntity, workspace);
      await manager.insert(MemberEntity, owner);
    });
    return workspace;
  }

  /** Renames a workspace (OWNER, ADMIN). */
  async renameWorkspace(loaders: WorkspaceLoaders, workspaceId: string, name: string): Promise<WorkspaceEntity> {
    const actor = await this.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[actor.role].manageWorkspace) throw forbidden("Only owners and admins can rename the workspace.");
    const clean = cleanName(name, "name");
    const repo = this.dataSource.getRepository(WorkspaceEntity);
    await repo.update({ id: workspaceId }, { name: clean, updatedAt: new Date() });
    const workspace = await repo.findOneBy({ id: workspaceId });
    if (!workspace) throw notFound("Workspace");
    return workspace;
  }

  /** Changes workspace settings (OWNER only: they shift power between roles). */
  async updateSettings(
    principal: Principal,
    loaders: WorkspaceLoaders,
    workspaceId: string,
    settings: { adminsManageAccess?: boolean | null },
  ): Promise<WorkspaceEntity> {
    const actor = await this.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[actor.role].changeSettings) throw forbidden("Only owners can change workspace settings.");
    const changes: Partial<WorkspaceEntity> = {};
    if (settings.adminsManageAccess !== undefined && settings.adminsManageAccess !== null) {
      changes.adminsManageAccess = settings.adminsManageAccess;
    }
    if (Object.keys(changes).length === 0) throw badInput("Nothing to change.", "settings");
    await inTransaction(this.dataSource, async (manager) => {
      await manager.update(WorkspaceEntity, { id: workspaceId }, { ...changes, updatedAt: new Date() });
      await this.audit.record(manager, workspaceId, { userId: principal.userId, memberId: actor.id }, "WORKSPACE_SETTINGS_CHANGED", null, {
        ...(changes.adminsManageAccess !== undefined ? { adminsManageAccess: changes.adminsManageAccess } : {}),
      });
    });
    loaders.workspaceById.clear(workspaceId);
    return this.getWorkspace(loaders, workspaceId);
  }

  /** Adds a user to a workspace with a role the caller may assign. */
  async addMember(loaders: WorkspaceLoaders, command: AddMemberCommand): Promise<MemberEntity> {
    const actor = await this.requireMembership(loaders, command.workspaceId);
    const role = checkRole(command.role);
    if (!USER_ID_PATTERN.test(command.userId)) throw badInput("userId must be 1 to 190 printable characters.", "userId");
    if (command.email && !EMAIL_PATTERN.test(command.email)) throw badInput("email is not an email address.", "email");
    const displayName = command.displayName ? cleanName(command.displayName, "displayName") : null;
    if (!canAddMember(actor.role, role)) throw forbidden(`A ${actor.role} cannot add a member as ${role}.`);
    const now = new Date();
    const member = Object.assign(new MemberEntity(), {
      id: randomUUID(),
      workspaceId: command.workspaceId,
      userId: command.userId,
      role,
      displayName,
      email: command.email ?? null,
      createdAt: now,
      updatedAt: now,
    });
    await inTransaction(this.dataSource, async (manager) => {
      const existing = await manager.findOneBy(MemberEntity, { workspaceId: command.workspaceId, userId: command.userId });
      if (existing) throw conflict("This user is already a member of the workspace.", { memberId: existing.id });
      await manager.insert(MemberEntity, member);
    });
    return member;
  }

  /** Removes a member (or lets the caller leave); the last OWNER cannot go. */
  async removeMember(loaders: WorkspaceLoaders, memberId: string): Promise<MemberEntity> {
    const target = await this.getMember(loaders, memberId);
    const actor = await this.requireMembership(loaders, target.workspaceId);
    const isSelf = actor.id === target.id;
    return inTransaction(this.dataSource, async (manager) => {
      const [current, actorNow] = await this.lockAndReload(manager, target, actor);
      if (!canRemoveMember(actorNow.role, current.role, isSelf)) throw forbidden(`A ${actorNow.role} cannot remove a ${current.role}.`);
      if (current.role === "OWNER") await this.assertAnotherOwner(manager, current);
      await manager.delete(MemberEntity, { id: current.id });
      return current;
    });
  }

  /** Changes a member's role; roles the caller may not manage, and demoting the last OWNER, are refused. */
  async changeRole(loaders: WorkspaceLoaders, memberId: string, role: WorkspaceRole): Promise<MemberEntity> {
    const target = await this.getMember(loaders, memberId);
    const actor = await this.requireMembership(loaders, target.workspaceId);
    const next = checkRole(role);
    return inTransaction(this.dataSource, async (manager) => {
      const [current, actorNow] = await this.lockAndReload(manager, target, actor);
      if (!canChangeRole(actorNow.role, current.role, next)) {
        throw forbidden(`A ${actorNow.role} cannot change a ${current.role} to ${next}.`);
      }
      if (current.role === next) return current;
      if (current.role === "OWNER") await this.assertAnotherOwner(manager, current);
      current.role = next;
      current.updatedAt = new Date();
      await manager.update(MemberEntity, { id: current.id }, { role: next, updatedAt: current.updatedAt });
      return current;
    });
  }

  // Locks the workspace row so concurrent role changes and removals are serialized, then re-reads
  // the target and the actor: either may have changed or gone since the request began.
  private async lockAndReload(
    manager: EntityManager,
    target: MemberEntity,
    actor: MemberEntity,
  ): Promise<[MemberEntity, MemberEntity]> {
    await lockRow(manager, "workspaces", target.workspaceId);
    const rows = await manager.findBy(MemberEntity, { id: In([target.id, actor.id]) });
    const current = rows.find((m) => m.id === target.id);
    const actorNow = rows.find((m) => m.id === actor.id);
    if (!actorNow) throw notFound("Workspace");
    if (!current) throw notFound("Member");
    return [current, actorNow];
  }

  private async assertAnotherOwner(manager: EntityManager, owner: MemberEntity): Promise<void> {
    const owners = await manager.countBy(MemberEntity, { workspaceId: owner.workspaceId, role: "OWNER" });
    if (owners <= 1) throw conflict("A workspace must keep at least one owner.", { memberId: owner.id });
  }
}
