import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionValueInput } from "../apps/app.type";

registerEnumType({ ACTIVE: "ACTIVE", MISCONFIGURED: "MISCONFIGURED" }, {
  name: "OAuthClientStatus",
  valuesConfig: {
    ACTIVE: { description: "The provider accepts the client." },
    MISCONFIGURED: { description: "The provider rejected the client (invalid_client); fix its id or secret." },
  },
});

/** A workspace's own OAuth client for an app. The secret is write-only and never returned. */
@ObjectType("OAuthClient")
export class OAuthClientType {
  @Field(() => ID)
  id!: string;

  @Field()
  appSlug!: string;

  @Field()
  name!: string;

  @Field()
  clientId!: string;

  @Field(() => [String], { description: "Scopes requested at the next connect or reconnect." })
  scopes!: string[];

  @Field(() => String)
  status!: "ACTIVE" | "MISCONFIGURED";

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field({ description: "The redirect URI to register at the provider for this client." })
  redirectUri!: string;

  @Field()
  createdAt!: Date;
}

/** The start of a connect or reconnect: open `authorizationUrl` in a popup or redirect the browser to it. */
@ObjectType()
export class OAuthFlowStart {
  @Field()
  authorizationUrl!: string;

  @Field()
  expiresAt!: Date;
}

/** Input of startOAuthConnect. */
@InputType()
export class StartOAuthConnectInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  appSlug!: string;

  @Field(() => String, { nullable: true })
  nickname?: string | null;

  @Field(() => [String], { nullable: true, description: "Defaults to the client's (or the app's) scopes." })
  scopes?: string[] | null;

  @Field(() => ID, { nullable: true, description: "A workspace OAuth client; default: the service's client for the app." })
  oauthClientId?: string | null;

  @Field(() => String, { nullable: true, description: "Redirect here at the end (must be on OAUTH_RETURN_URLS); default: a popup page that posts the result to its opener." })
  returnUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The origin of the page that opens the popup (e.g. https://app.example.com). Checked now against OAUTH_RETURN_URLS, so that a page the result could never reach is refused before anything is connected.",
  })
  openerOrigin?: string | null;

  @Field(() => [ConnectionValueInput], { nullable: true, description: "The app's connection parameters (App.parameters): a shop, a subdomain, a region. Kept for the account's life." })
  parameters?: ConnectionValueInput[] | null;
}

/** Input of startOAuthReconnect. */
@InputType()
export class StartOAuthReconnectInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => [String], { nullable: true })
  scopes?: string[] | null;

  @Field(() => ID, { nullable: true })
  oauthClientId?: string | null;

  @Field(() => String, { nullable: true, description: "Redirect here at the end (must be on OAUTH_RETURN_URLS); default: a popup page that posts the result to its opener." })
  returnUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The origin of the page that opens the popup (e.g. https://app.example.com). Checked now against OAUTH_RETURN_URLS, so that a page the result could never reach is refused before anything is connected.",
  })
  openerOrigin?: string | null;
}

/** Input of registerOAuthClient. */
@InputType()
export class RegisterOAuthClientInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  appSlug!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field()
  clientId!: string;

  @Field({ description: "Write-only." })
  clientSecret!: string;

  @Field(() => [String], { nullable: true })
  scopes?: string[] | null;
}

/** Input of updateOAuthClient. */
@InputType()
export class UpdateOAuthClientInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  clientId?: string | null;

  @Field(() => String, { nullable: true, description: "Write-only." })
  clientSecret?: string | null;

  @Field(() => [String], { nullable: true })
  scopes?: string[] | null;
}
