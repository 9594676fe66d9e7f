import type { Principal } from "../../auth/principal";
import type { MemberEntity } from "./member.entity";
import type { WorkspaceEntity } from "./workspace.entity";
import { MemberType, ViewerType, WorkspaceType } from "./workspace.type";

/** Copies the exposed fields of a workspace, and only those. */
export function presentWorkspace(entity: WorkspaceEntity): WorkspaceType {
  return Object.assign(new WorkspaceType(), {
    id: entity.id,
    name: entity.name,
    settings: { adminsManageAccess: entity.adminsManageAccess },
    createdAt: entity.createdAt,
  });
}

/** Copies the exposed fields of a member, and only those. */
export function presentMember(entity: MemberEntity): MemberType {
  return Object.assign(new MemberType(), {
    id: entity.id,
    workspaceId: entity.workspaceId,
    userId: entity.userId,
    role: entity.role,
    displayName: entity.displayName,
    email: entity.email,
    createdAt: entity.createdAt,
  });
}

/** The caller as shown to themselves. */
export function presentViewer(principal: Principal): ViewerType {
  return Object.assign(new ViewerType(), {
    userId: principal.userId,
    displayName: principal.displayName,
    email: principal.email,
  });
}
