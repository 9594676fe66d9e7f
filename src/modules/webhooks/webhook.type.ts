import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

/** Where a re-enabled endpoint goes on from. */
export enum WebhookResume {
  CURSOR = "CURSOR",
  NOW = "NOW",
}
registerEnumType(WebhookResume, {
  name: "WebhookResume",
  description: "Where a re-enabled endpoint goes on from: its cursor (every event it missed), or now.",
});

/** One delivery: an event (or a test ping) at an endpoint, and its last attempt. */
@ObjectType("WebhookDelivery")
export class WebhookDeliveryType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The event kind, or WEBHOOK_PING for a test." })
  kind!: string;

  @Field(() => ID, { nullable: true, description: "The event's id (null for a ping)." })
  eventId!: string | null;

  @Field(() => Int, { nullable: true, description: "The event's cursor in the workspace's log (null for a ping)." })
  cursor!: number | null;

  @Field({ description: "The webhook-id header sent: the same on every attempt and redelivery." })
  messageId!: string;

  @Field({ description: "SUCCEEDED, RETRYING or FAILED." })
  status!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status (null: no answer)." })
  responseStatus!: number | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  error!: string | null;

  @Field(() => Int, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true, description: "The start of the receiver's answer (at most 1,000 characters)." })
  responseExcerpt!: string | null;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due (RETRYING)." })
  nextAttemptAt!: Date | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

/** A webhook endpoint of a workspace (OWNER/ADMIN only). Its secret is never shown again after creation or rotation. */
@ObjectType("WebhookEndpoint")
export class WebhookEndpointType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String], { nullable: true, description: "The event kinds it receives (null: all)." })
  kinds!: string[] | null;

  @Field(() => [ID], { nullable: true, description: "The accounts it receives events of (null: all)." })
  accountIds!: string[] | null;

  @Field()
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: "Why delivery stopped: 410 Gone, failing for the whole retry window, or an admin." })
  disabledReason!: string | null;

  @Field(() => Int, { description: "The last event of the workspace's log it is done with." })
  cursor!: number;

  @Field(() => Date, { nullable: true, description: "Since when its oldest pending event has been failing." })
  failingSince!: Date | null;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due after a failure." })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "Until when the previous secret still signs too (after a rotation)." })
  previousSecretValidUntil!: Date | null;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

/** An endpoint with its signing secret: answered once, by createWebhookEndpoint and rotateWebhookSecret. */
@ObjectType("WebhookEndpointWithSecret")
export class WebhookEndpointWithSecretType {
  @Field(() => WebhookEndpointType)
  endpoint!: WebhookEndpointType;

  @Field({ description: "The signing secret (whsec_…), for the Standard Webhooks libraries. Shown only now." })
  secret!: string;
}

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "https (anything else is refused in production); no user name, password or fragment; a public address." })
  url!: string;

  @Field(() => String, { nullable: true, description: "At most 500 characters." })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Event kinds (AccountEventKind values) to receive; left out: all." })
  kinds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Accounts whose events to receive (at most 500); left out: all." })
  accountIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => ID)
  endpointId!: string;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: "Null: all kinds." })
  kinds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: "Null: all accounts." })
  accountIds?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => WebhookResume, { nullable: true, description: "With enabled: true on a disabled endpoint: go on from its cursor (default) or from now." })
  resumeFrom?: WebhookResume | null;
}
