import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access, principalOf } from "../../graphql/access";
import type { OAuthClientEntity } from "./oauth-client.entity";
import {
  OAuthClientType,
  OAuthFlowStart,
  RegisterOAuthClientInput,
  StartOAuthConnectInput,
  StartOAuthReconnectInput,
  UpdateOAuthClientInput,
} from "./oauth.type";

function presentClient(entity: OAuthClientEntity, redirectUri: string): OAuthClientType {
  return Object.assign(new OAuthClientType(), {
    id: entity.id,
    appSlug: entity.appSlug,
    name: entity.name,
    clientId: entity.clientId,
    scopes: JSON.parse(entity.scopes) as string[],
    status: entity.status,
    lastError: entity.lastError,
    redirectUri,
    createdAt: entity.createdAt,
  });
}

/** OAuth: starting connects and reconnects, and workspaces' own OAuth clients. */
@Resolver()
export class OAuthResolver {
  @Access("authenticated", { account: "connect" })
  @Mutation(() => OAuthFlowStart, { description: "Starts connecting an OAuth app: open the returned URL in the member's browser." })
  async startOAuthConnect(@Arg("input") input: StartOAuthConnectInput, @Ctx() context: RequestContext): Promise<OAuthFlowStart> {
    const { flow, authorizationUrl } = await context.services.oauth.start(principalOf(context), context.loaders, input);
    return { authorizationUrl, expiresAt: flow.expiresAt };
  }

  @Access("authenticated", { account: "reconnect" })
  @Mutation(() => OAuthFlowStart, {
    description: "Starts reconnecting an OAuth account (same id); on a legacy account this claims it with the same external identity.",
  })
  async startOAuthReconnect(@Arg("input") input: StartOAuthReconnectInput, @Ctx() context: RequestContext): Promise<OAuthFlowStart> {
    const { flow, authorizationUrl } = await context.services.oauth.start(principalOf(context), context.loaders, input);
    return { authorizationUrl, expiresAt: flow.expiresAt };
  }

  @Access("authenticated")
  @Query(() => [OAuthClientType], { description: "A workspace's own OAuth clients (OWNER/ADMIN)." })
  async oauthClients(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() context: RequestContext): Promise<OAuthClientType[]> {
    const clients = await context.services.oauthClients.list(context.loaders.workspaces, workspaceId);
    return clients.map((c) => presentClient(c, context.services.oauth.callbackUrl));
  }

  @Access("authenticated")
  @Mutation(() => OAuthClientType, { description: "Registers a workspace OAuth client for an app (OWNER/ADMIN)." })
  async registerOAuthClient(@Arg("input") input: RegisterOAuthClientInput, @Ctx() context: RequestContext): Promise<OAuthClientType> {
    const client = await context.services.oauthClients.register(context.loaders.workspaces, input.workspaceId, input.appSlug, input);
    return presentClient(client, context.services.oauth.callbackUrl);
  }

  @Access("authenticated")
  @Mutation(() => OAuthClientType, { description: "Changes a workspace OAuth client; new scopes apply at the next (re)connect." })
  async updateOAuthClient(@Arg("input") input: UpdateOAuthClientInput, @Ctx() context: RequestContext): Promise<OAuthClientType> {
    return presentClient(await context.services.oauthClients.update(context.loaders.workspaces, input.id, input), context.services.oauth.callbackUrl);
  }

  @Access("authenticated")
  @Mutation(() => ID, { description: "Deletes a workspace OAuth client." })
  async deleteOAuthClient(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.oauthClients.delete(context.loaders.workspaces, id)).id;
  }
}
