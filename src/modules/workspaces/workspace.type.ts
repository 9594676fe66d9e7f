import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { WORKSPACE_ROLES, type WorkspaceRole } from "./member.entity";

/** The GraphQL enum of workspace roles (same values as the entity's). */
export const WorkspaceRoleEnum = Object.fromEntries(WORKSPACE_ROLES.map((role) => [role, role])) as {
  [R in WorkspaceRole]: R;
};
registerEnumType(WorkspaceRoleEnum, {
  name: "WorkspaceRole",
  description: "A member's role in a workspace.",
  valuesConfig: {
    OWNER: { description: "Workspace owner: manages everything, including other owners." },
    ADMIN: { description: "Workspace admin: manages admins and members." },
    MEMBER: { description: "Workspace member." },
  },
});

/** What the viewer may do to a workspace, computed by the same policy that enforces it. */
@ObjectType()
export class WorkspaceCapabilities {
  @Field({ description: "Rename the workspace and change its settings." })
  manage!: boolean;

  @Field({ description: "Add, remove and change the roles of members (within assignableRoles)." })
  manageMembers!: boolean;

  @Field(() => [WorkspaceRoleEnum], { description: "Roles the viewer may give and take." })
  assignableRoles!: WorkspaceRole[];

  @Field({ description: "Change settings such as adminsManageAccess (OWNER only)." })
  changeSettings!: boolean;

  @Field({ description: "Delete the workspace and everything it holds (OWNER only; deleteWorkspace)." })
  delete!: boolean;
}

/** Workspace settings. */
@ObjectType()
export class WorkspaceSettings {
  @Field({ description: "OWNER/ADMIN may also manage access to, reconnect and rename accounts they do not own." })
  adminsManageAccess!: boolean;
}

/** A tenant: every account, workflow and member belongs to exactly one workspace. */
@Directive(`@key(fields: "id")`)
@ObjectType("Workspace")
export class WorkspaceType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => WorkspaceSettings)
  settings!: WorkspaceSettings;

  @Field()
  createdAt!: Date;
}

/** What the viewer may do to a member. */
@ObjectType()
export class MemberCapabilities {
  @Field({ description: "Remove this member (for yourself: leave the workspace)." })
  remove!: boolean;

  @Field({ description: "Change this member's role." })
  changeRole!: boolean;
}

/** A user's membership of a workspace. */
@Directive(`@key(fields: "id")`)
@ObjectType("Member")
export class MemberType {
  @Field(() => ID)
  id!: string;

  /** Not exposed as a field: resolved through `workspace`. */
  workspaceId!: string;

  @Field({ description: "The identity provider's subject for this user." })
  userId!: string;

  @Field(() => WorkspaceRoleEnum)
  role!: WorkspaceRole;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field()
  createdAt!: Date;
}

/** The authenticated caller. */
@ObjectType("Viewer")
export class ViewerType {
  @Field()
  userId!: string;

  @Field(() => String, { nullable: true })
  displayName!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}
