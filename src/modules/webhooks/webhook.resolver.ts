import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access } from "../../graphql/access";
import { presentDelivery, presentEndpoint } from "./webhook.presenter";
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput, WebhookDeliveryType, WebhookEndpointType, WebhookEndpointWithSecretType } from "./webhook.type";

/** Webhook endpoints (OWNER/ADMIN of the workspace; to anyone else they do not exist). */
@Resolver(() => WebhookEndpointType)
export class WebhookResolver {
  @Access("authenticated")
  @Query(() => [WebhookEndpointType], { description: "A workspace's webhook endpoints (OWNER/ADMIN)." })
  async webhookEndpoints(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() context: RequestContext): Promise<WebhookEndpointType[]> {
    return (await context.services.webhooks.list(context.loaders.workspaces, workspaceId)).map(presentEndpoint);
  }

  @Access("authenticated")
  @Query(() => WebhookEndpointType, { description: "One webhook endpoint (OWNER/ADMIN of its workspace; NOT_FOUND otherwise)." })
  async webhookEndpoint(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<WebhookEndpointType> {
    return presentEndpoint(await context.services.webhooks.get(context.loaders.workspaces, id));
  }

  @FieldResolver(() => [WebhookDeliveryType], { description: "Its deliveries, newest first (at most 100)." })
  async deliveries(@Root() endpoint: WebhookEndpointType, @Arg("first", () => Int, { defaultValue: 20 }) first: number, @Ctx() context: RequestContext): Promise<WebhookDeliveryType[]> {
    const entity = await context.services.webhooks.get(context.loaders.workspaces, endpoint.id);
    return (await context.services.webhooks.deliveries(entity, first)).map(presentDelivery);
  }

  @Access("authenticated")
  @Mutation(() => WebhookEndpointWithSecretType, { description: "Creates an endpoint that receives the workspace's events from now on (OWNER/ADMIN); answers its signing secret, shown only this once." })
  async createWebhookEndpoint(@Arg("input") input: CreateWebhookEndpointInput, @Ctx() context: RequestContext): Promise<WebhookEndpointWithSecretType> {
    const { endpoint, secret } = await context.services.webhooks.create(context.loaders.workspaces, input);
    return Object.assign(new WebhookEndpointWithSecretType(), { endpoint: presentEndpoint(endpoint), secret });
  }

  @Access("authenticated")
  @Mutation(() => WebhookEndpointType, { description: "Changes an endpoint; enabling a disabled one goes on from its cursor or from now (OWNER/ADMIN)." })
  async updateWebhookEndpoint(@Arg("input") input: UpdateWebhookEndpointInput, @Ctx() context: RequestContext): Promise<WebhookEndpointType> {
    return presentEndpoint(await context.services.webhooks.update(context.loaders.workspaces, input));
  }

  @Access("authenticated")
  @Mutation(() => WebhookEndpointWithSecretType, { description: "A new signing secret, shown only now; the previous one keeps signing beside it for graceSeconds (default a day) (OWNER/ADMIN)." })
  async rotateWebhookSecret(
    @Arg("endpointId", () => ID) endpointId: string,
    @Arg("graceSeconds", () => Int, { nullable: true }) graceSeconds: number | null,
    @Ctx() context: RequestContext,
  ): Promise<WebhookEndpointWithSecretType> {
    const { endpoint, secret } = await context.services.webhooks.rotateSecret(context.loaders.workspaces, endpointId, graceSeconds ?? undefined);
    return Object.assign(new WebhookEndpointWithSecretType(), { endpoint: presentEndpoint(endpoint), secret });
  }

  @Access("authenticated")
  @Mutation(() => ID, { description: "Deletes an endpoint and its deliveries (OWNER/ADMIN); answers its id." })
  async deleteWebhookEndpoint(@Arg("endpointId", () => ID) endpointId: string, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.webhooks.delete(context.loaders.workspaces, endpointId)).id;
  }

  @Access("authenticated")
  @Mutation(() => WebhookDeliveryType, { description: "Sends a signed WEBHOOK_PING now and answers how it went (OWNER/ADMIN)." })
  async testWebhookEndpoint(@Arg("endpointId", () => ID) endpointId: string, @Ctx() context: RequestContext): Promise<WebhookDeliveryType> {
    return presentDelivery(await context.services.webhooks.test(context.loaders.workspaces, endpointId));
  }

  @Access("authenticated")
  @Mutation(() => WebhookEndpointType, { description: "Delivers again every event after afterCursor, in order, with their original webhook-id (OWNER/ADMIN)." })
  async redeliverWebhooks(@Arg("endpointId", () => ID) endpointId: string, @Arg("afterCursor", () => Int) afterCursor: number, @Ctx() context: RequestContext): Promise<WebhookEndpointType> {
    return presentEndpoint(await context.services.webhooks.redeliver(context.loaders.workspaces, endpointId, afterCursor));
  }
}
