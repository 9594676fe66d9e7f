import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import type { WorkspaceRole } from "./member.entity";
import {
  AddMemberInput,
  ChangeMemberRoleInput,
  CreateWorkspaceInput,
  RemoveMemberInput,
  RenameWorkspaceInput,
  UpdateWorkspaceSettingsInput,
} from "./workspace.inputs";
import { canChangeRole, canRemoveMember, WORKSPACE_POLICY, assignableRoles } from "./workspace.policy";
import { presentMember, presentViewer, presentWorkspace } from "./workspace.presenter";
import { MemberCapabilities, MemberType, ViewerType, WorkspaceCapabilities, WorkspaceRoleEnum, WorkspaceType } from "./workspace.type";

/** Result of removeMember. */
@ObjectType()
export class RemoveMemberPayload {
  @Field(() => ID)
  memberId!: string;

  @Field(() => ID)
  workspaceId!: string;
}

/** Workspaces: the viewer's, one by id, create and rename; nested members and capabilities. */
@Resolver(() => WorkspaceType)
export class WorkspaceResolver {
  @Access("authenticated", { reach: "caller" })
  @Query(() => ViewerType, { description: "The authenticated caller and their workspaces." })
  viewer(@Ctx() context: RequestContext): ViewerType {
    return presentViewer(principalOf(context));
  }

  @Access("authenticated")
  @Query(() => WorkspaceType, { description: "A workspace the caller belongs to (NOT_FOUND otherwise)." })
  async workspace(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<WorkspaceType> {
    return presentWorkspace(await context.services.workspaces.getWorkspace(context.loaders.workspaces, id));
  }

  @Access("authenticated", { reach: "signed-in" })
  @Mutation(() => WorkspaceType, { description: "Creates a workspace with the caller as its OWNER." })
  async createWorkspace(@Arg("input") input: CreateWorkspaceInput, @Ctx() context: RequestContext): Promise<WorkspaceType> {
    return presentWorkspace(await context.services.workspaces.createWorkspace(principalOf(context), input.name));
  }

  @Access("authenticated")
  @Mutation(() => WorkspaceType, { description: "Renames a workspace (OWNER, ADMIN)." })
  async renameWorkspace(@Arg("input") input: RenameWorkspaceInput, @Ctx() context: RequestContext): Promise<WorkspaceType> {
    const workspace = await context.services.workspaces.renameWorkspace(context.loaders.workspaces, input.workspaceId, input.name);
    return presentWorkspace(workspace);
  }

  @Access("authenticated")
  @Mutation(() => WorkspaceType, { description: "Changes workspace settings (OWNER only)." })
  async updateWorkspaceSettings(
    @Arg("input") input: UpdateWorkspaceSettingsInput,
    @Ctx() context: RequestContext,
  ): Promise<WorkspaceType> {
    const workspace = await context.services.workspaces.updateSettings(principalOf(context), context.loaders.workspaces, input.workspaceId, input);
    return presentWorkspace(workspace);
  }

  @FieldResolver(() => [MemberType], { description: "Every member, oldest first." })
  async members(@Root() workspace: WorkspaceType, @Ctx() context: RequestContext): Promise<MemberType[]> {
    return (await context.loaders.workspaces.membersByWorkspace.load(workspace.id)).map(presentMember);
  }

  @FieldResolver(() => WorkspaceRoleEnum, { description: "The viewer's role here." })
  async viewerRole(@Root() workspace: WorkspaceType, @Ctx() context: RequestContext): Promise<WorkspaceRole> {
    return (await context.services.workspaces.requireMembership(context.loaders.workspaces, workspace.id)).role;
  }

  @FieldResolver(() => WorkspaceCapabilities)
  async viewerCan(@Root() workspace: WorkspaceType, @Ctx() context: RequestContext): Promise<WorkspaceCapabilities> {
    const { role } = await context.services.workspaces.requireMembership(context.loaders.workspaces, workspace.id);
    const roles = [...assignableRoles(role)];
    return {
      manage: WORKSPACE_POLICY[role].manageWorkspace,
      manageMembers: roles.length > 0,
      assignableRoles: roles,
      changeSettings: WORKSPACE_POLICY[role].changeSettings,
      delete: WORKSPACE_POLICY[role].deleteWorkspace,
    };
  }
}

/** The viewer's workspaces. */
@Resolver(() => ViewerType)
export class ViewerResolver {
  @FieldResolver(() => [WorkspaceType], { description: "Workspaces the caller belongs to, oldest membership first." })
  async workspaces(@Ctx() context: RequestContext): Promise<WorkspaceType[]> {
    const list = await context.services.workspaces.listForUser(principalOf(context), context.loaders.workspaces);
    return list.map(presentWorkspace);
  }
}

/** Members: add, change role, remove; nested workspace and capabilities. */
@Resolver(() => MemberType)
export class MemberResolver {
  @Access("authenticated")
  @Query(() => MemberType, { description: "A member of a workspace the caller belongs to (NOT_FOUND otherwise)." })
  async member(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<MemberType> {
    return presentMember(await context.services.workspaces.getMember(context.loaders.workspaces, id));
  }

  @Access("authenticated")
  @Mutation(() => MemberType, { description: "Adds a user to a workspace (OWNER any role; ADMIN: ADMIN or MEMBER)." })
  async addMember(@Arg("input") input: AddMemberInput, @Ctx() context: RequestContext): Promise<MemberType> {
    return presentMember(await context.services.workspaces.addMember(context.loaders.workspaces, input));
  }

  @Access("authenticated")
  @Mutation(() => MemberType, { description: "Changes a member's role; the last OWNER cannot be demoted." })
  async changeMemberRole(@Arg("input") input: ChangeMemberRoleInput, @Ctx() context: RequestContext): Promise<MemberType> {
    return presentMember(await context.services.workspaces.changeRole(context.loaders.workspaces, input.memberId, input.role));
  }

  @Access("authenticated")
  @Mutation(() => RemoveMemberPayload, { description: "Removes a member, or lets the caller leave; the last OWNER cannot go." })
  async removeMember(@Arg("input") input: RemoveMemberInput, @Ctx() context: RequestContext): Promise<RemoveMemberPayload> {
    const removed = await context.services.workspaces.removeMember(context.loaders.workspaces, input.memberId);
    return { memberId: removed.id, workspaceId: removed.workspaceId };
  }

  @FieldResolver(() => WorkspaceType)
  async workspace(@Root() member: MemberType, @Ctx() context: RequestContext): Promise<WorkspaceType> {
    return presentWorkspace(await context.services.workspaces.getWorkspace(context.loaders.workspaces, member.workspaceId));
  }

  @FieldResolver(() => Boolean, { description: "Whether this member is the caller." })
  isViewer(@Root() member: MemberType, @Ctx() context: RequestContext): boolean {
    return member.userId === context.principal?.userId;
  }

  @FieldResolver(() => MemberCapabilities)
  async viewerCan(@Root() member: MemberType, @Ctx() context: RequestContext): Promise<MemberCapabilities> {
    const actor = await context.services.workspaces.requireMembership(context.loaders.workspaces, member.workspaceId);
    const isSelf = actor.id === member.id;
    return {
      remove: canRemoveMember(actor.role, member.role, isSelf),
      changeRole: assignableRoles(actor.role).some((to) => to !== member.role && canChangeRole(actor.role, member.role, to)),
    };
  }
}

/** Federation: resolves Workspace references the caller may see (NOT_FOUND otherwise). */
export async function resolveWorkspaceReference(ref: { id: string }, context: RequestContext): Promise<WorkspaceType> {
  principalOf(context);
  return presentWorkspace(await context.services.workspaces.getWorkspace(context.loaders.workspaces, ref.id));
}

/** Federation: resolves Member references the caller may see (NOT_FOUND otherwise). */
export async function resolveMemberReference(ref: { id: string }, context: RequestContext): Promise<MemberType> {
  principalOf(context);
  return presentMember(await context.services.workspaces.getMember(context.loaders.workspaces, ref.id));
}
