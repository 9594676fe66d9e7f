import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import { presentToken } from "./api-token.presenter";
import { ApiTokenType, CreateApiTokenInput, CreatedApiToken } from "./api-token.type";

/** Personal API tokens: create (shown once), list, revoke. */
@Resolver()
export class ApiTokenResolver {
  @Access("authenticated", { reach: "signed-in" })
  @Mutation(() => CreatedApiToken, { description: "Creates a personal API token for the caller in a workspace; the token is shown once." })
  async createApiToken(@Arg("input") input: CreateApiTokenInput, @Ctx() context: RequestContext): Promise<CreatedApiToken> {
    const { token, entity } = await context.services.apiTokens.create(principalOf(context), context.loaders.workspaces, input);
    return { token, apiToken: presentToken(entity) };
  }

  @Access("authenticated")
  @Query(() => [ApiTokenType], { description: "The caller's API tokens in a workspace." })
  async apiTokens(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() context: RequestContext): Promise<ApiTokenType[]> {
    return (await context.services.apiTokens.list(context.loaders.workspaces, workspaceId)).map(presentToken);
  }

  @Access("authenticated")
  @Mutation(() => ApiTokenType, { description: "Revokes an API token (yours; OWNER/ADMIN: any of the workspace)." })
  async revokeApiToken(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<ApiTokenType> {
    return presentToken(await context.services.apiTokens.revoke(context.loaders.workspaces, id));
  }
}
