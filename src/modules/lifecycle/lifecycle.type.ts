import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

/** Where a workspace's deletion stands when deleteWorkspace answers. */
export enum WorkspaceDeletionStatus {
  DELETED = "DELETED",
  DELETING = "DELETING",
}
registerEnumType(WorkspaceDeletionStatus, {
  name: "WorkspaceDeletionStatus",
  description: "Where a workspace's deletion stands.",
  valuesConfig: {
    DELETED: { description: "Every row of the workspace is gone." },
    DELETING: { description: "The workspace is gone for everyone; its rows are still being removed (the service finishes it, after a restart too)." },
  },
});

/** Input of deleteWorkspace. */
@InputType()
export class DeleteWorkspaceInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "The workspace's name, typed back exactly as it is: the confirmation." })
  confirmName!: string;
}

/** A grant its provider did not confirm revoking (an error answer, or none within the deadline). */
@ObjectType()
export class RevocationFailureType {
  @Field(() => ID)
  accountId!: string;

  @Field({ description: "The app's slug." })
  appSlug!: string;
}

/** Result of deleteWorkspace. */
@ObjectType()
export class DeleteWorkspacePayload {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => WorkspaceDeletionStatus)
  status!: WorkspaceDeletionStatus;

  @Field(() => Int, { description: "OAuth grants revoked at their providers." })
  grantsRevoked!: number;

  @Field(() => [RevocationFailureType], { description: "Grants the provider did not confirm revoking: revoke them at the provider by hand. Empty while DELETING." })
  revocationFailures!: RevocationFailureType[];

  @Field(() => Int, { description: "Webhook endpoints that acknowledged the WORKSPACE_DELETED message." })
  webhooksNotified!: number;
}
