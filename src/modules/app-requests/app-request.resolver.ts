import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access } from "../../graphql/access";
import type { AppRequestEntity, AppRequestStatus } from "./app-request.entity";
import { AppRequestStatusEnum, AppRequestType, RequestAppInput } from "./app-request.type";

function present(entity: AppRequestEntity): AppRequestType {
  return Object.assign(new AppRequestType(), {
    id: entity.id,
    name: entity.name,
    url: entity.url,
    reason: entity.reason,
    count: entity.count,
    status: entity.status,
    requestedByMemberId: entity.requestedByMemberId,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
    closedAt: entity.closedAt,
  });
}

/** Requests for apps the catalog lacks. */
@Resolver()
export class AppRequestResolver {
  @Access("authenticated")
  @Mutation(() => AppRequestType, { description: "Asks for an app the catalog lacks (any member); counts on the open request for the same app if there is one." })
  async requestApp(@Arg("input") input: RequestAppInput, @Ctx() context: RequestContext): Promise<AppRequestType> {
    return present(await context.services.appRequests.request(context.loaders.workspaces, input));
  }

  @Access("authenticated")
  @Query(() => [AppRequestType], { description: "A workspace's app requests, newest first (OWNER/ADMIN)." })
  async appRequests(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("status", () => AppRequestStatusEnum, { nullable: true }) status: AppRequestStatus | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<AppRequestType[]> {
    return (await context.services.appRequests.list(context.loaders.workspaces, workspaceId, status)).map(present);
  }

  @Access("authenticated")
  @Mutation(() => AppRequestType, { description: "Closes an open app request (OWNER/ADMIN)." })
  async closeAppRequest(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<AppRequestType> {
    return present(await context.services.appRequests.close(context.loaders.workspaces, id));
  }
}
