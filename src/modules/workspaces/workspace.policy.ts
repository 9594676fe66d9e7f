import type { WorkspaceRole } from "./member.entity";

/** What a workspace role may do to the workspace itself and its member list. */
export interface WorkspaceRolePolicy {
  /** Rename the workspace, import accounts, read the audit trail. */
  manageWorkspace: boolean;
  /** Change settings that shift power between roles (adminsManageAccess). */
  changeSettings: boolean;
  /** Delete the workspace and everything it holds (with its name typed back). */
  deleteWorkspace: boolean;
  /** Roles this role may add, remove, and assign (both the old and the new role must be listed). */
  manageRoles: readonly WorkspaceRole[];
}

/**
 * Member management, as data. Owners manage everyone; admins manage admins and members but can
 * neither touch an owner nor make one; members manage no one (but may always leave). Separately,
 * a workspace always keeps at least one OWNER (enforced by the service, under a lock).
 */
export const WORKSPACE_POLICY: Record<WorkspaceRole, WorkspaceRolePolicy> = {
  OWNER: { manageWorkspace: true, changeSettings: true, deleteWorkspace: true, manageRoles: ["OWNER", "ADMIN", "MEMBER"] },
  ADMIN: { manageWorkspace: true, changeSettings: false, deleteWorkspace: false, manageRoles: ["ADMIN", "MEMBER"] },
  MEMBER: { manageWorkspace: false, changeSettings: false, deleteWorkspace: false, manageRoles: [] },
};

/** Whether `actor` may add a member with `role`. */
export const canAddMember = (actor: WorkspaceRole, role: WorkspaceRole): boolean =>
  WORKSPACE_POLICY[actor].manageRoles.includes(role);

/** Whether `actor` may remove a member whose role is `target` (anyone may remove themselves). */
export const canRemoveMember = (actor: WorkspaceRole, target: WorkspaceRole, isSelf: boolean): boolean =>
  isSelf || WORKSPACE_POLICY[actor].manageRoles.includes(target);

/** Whether `actor` may change a member's role from `from` to `to`. */
export const canChangeRole = (actor: WorkspaceRole, from: WorkspaceRole, to: WorkspaceRole): boolean =>
  WORKSPACE_POLICY[actor].manageRoles.includes(from) && WORKSPACE_POLICY[actor].manageRoles.includes(to);

/** The roles `actor` may assign to others. */
export const assignableRoles = (actor: WorkspaceRole): readonly WorkspaceRole[] => WORKSPACE_POLICY[actor].manageRoles;
