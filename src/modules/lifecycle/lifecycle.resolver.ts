import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import { DeleteWorkspaceInput, DeleteWorkspacePayload, WorkspaceDeletionStatus } from "./lifecycle.type";

/** A workspace's end: deleting it and everything it holds. */
@Resolver()
export class LifecycleResolver {
  @Access("authenticated", { reach: "signed-in" })
  @Mutation(() => DeleteWorkspacePayload, {
    description:
      "Deletes a workspace and everything it holds (OWNER, signed in, with the workspace's name typed back): OAuth grants are revoked at their providers, subscriptions to it close with code 4410, webhooks get a last WORKSPACE_DELETED message, then every row goes. Gone for everyone at once; answers DELETING if the rest takes longer than the answer's deadline.",
  })
  async deleteWorkspace(@Arg("input") input: DeleteWorkspaceInput, @Ctx() context: RequestContext): Promise<DeleteWorkspacePayload> {
    const report = await context.services.deletions.request(principalOf(context), context.loaders.workspaces, input.workspaceId, input.confirmName);
    return {
      workspaceId: report.workspaceId,
      status: report.status === "DELETED" ? WorkspaceDeletionStatus.DELETED : WorkspaceDeletionStatus.DELETING,
      grantsRevoked: report.grantsRevoked,
      revocationFailures: report.revocationFailures,
      webhooksNotified: report.webhooksNotified,
    };
  }
}
