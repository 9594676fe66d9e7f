import { Field, ID, InputType } from "type-graphql";
import type { WorkspaceRole } from "./member.entity";
import { WorkspaceRoleEnum } from "./workspace.type";

/** Input of createWorkspace. */
@InputType()
export class CreateWorkspaceInput {
  @Field({ description: "1 to 120 characters." })
  name!: string;
}

/** Input of renameWorkspace. */
@InputType()
export class RenameWorkspaceInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "1 to 120 characters." })
  name!: string;
}

/** Input of addMember. */
@InputType()
export class AddMemberInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "The identity provider's subject (`sub`) of the user to add." })
  userId!: string;

  @Field(() => WorkspaceRoleEnum)
  role!: WorkspaceRole;

  @Field(() => String, { nullable: true })
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

/** Input of changeMemberRole. */
@InputType()
export class ChangeMemberRoleInput {
  @Field(() => ID)
  memberId!: string;

  @Field(() => WorkspaceRoleEnum)
  role!: WorkspaceRole;
}

/** Input of removeMember. */
@InputType()
export class RemoveMemberInput {
  @Field(() => ID)
  memberId!: string;
}

/** Input of updateWorkspaceSettings. */
@InputType()
export class UpdateWorkspaceSettingsInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => Boolean, { nullable: true })
  adminsManageAccess?: boolean | null;
}
