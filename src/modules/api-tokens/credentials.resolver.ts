import { GraphQLJSONObject } from "graphql-scalars";
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import type { RequestContext } from "../../context";
import { Access, principalOf } from "../../graphql/access";
import { ExternalIdentityType } from "../accounts/account.type";
import { HttpRequestInput } from "../workflows/workflow.type";
import { API_TOKEN_SCOPES, type ApiTokenEntity, type ApiTokenScope } from "./api-token.entity";

const ApiTokenScopeEnum = Object.fromEntries(API_TOKEN_SCOPES.map((s) => [s, s])) as { [S in ApiTokenScope]: S };
registerEnumType(ApiTokenScopeEnum, {
  name: "ApiTokenScope",
  valuesConfig: {
    FULL: { description: "Everything the member may do." },
    READ_ONLY: { description: "Queries, and credential reads; no other mutation." },
    CREDENTIALS_READ: { description: "Only credential reads (GraphQL readAccountCredentials and the REST endpoint)." },
  },
});

/** One credential value. This type and AccountCredentials are the only ones that carry secrets. */
@ObjectType()
export class CredentialValue {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

/** An account's credentials, as an authorized caller reads them (never cached: a mutation). */
@ObjectType()
export class AccountCredentials {
  @Field(() => ID)
  accountId!: string;

  @Field()
  appSlug!: string;

  @Field(() => [CredentialValue], { description: "oauth_access_token (fresh), oauth_refresh_token (owner only), or the app's key fields." })
  fields!: CredentialValue[];

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => ExternalIdentityType, { nullable: true })
  externalIdentity!: ExternalIdentityType | null;
}

/** What an app answered to a request sent through an account (credentials redacted). */
@ObjectType()
export class AccountRequestResult {
  @Field(() => Int)
  status!: number;

  @Field(() => GraphQLJSONObject)
  headers!: Record<string, string>;

  @Field()
  body!: string;

  @Field({ description: "True when the body was cut at the size limit." })
  truncated!: boolean;
}

/** A personal API token as listed (the token itself is shown only when created). */
@ObjectType("ApiToken")
export class ApiTokenType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "The visible start of the token, e.g. cat_Ab12Cd34." })
  prefix!: string;

  @Field({ description: "Its last four characters." })
  last4!: string;

  @Field(() => ApiTokenScopeEnum)
  scope!: ApiTokenScope;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field()
  createdAt!: Date;
}

/** A newly created token: `token` is shown this once and never again. */
@ObjectType()
export class CreatedApiToken {
  @Field()
  token!: string;

  @Field(() => ApiTokenType)
  apiToken!: ApiTokenType;
}

/** Input of createApiToken. */
@InputType()
export class CreateApiTokenInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  name!: string;

  @Field(() => ApiTokenScopeEnum, { nullable: true })
  scope?: ApiTokenScope | null;

  @Field(() => Int, { nullable: true })
  expiresInDays?: number | null;
}

/** Input of sendAccountRequest. */
@InputType()
export class AccountRequestInput extends HttpRequestInput {
  @Field(() => ID)
  accountId!: string;
}

const presentToken = (t: ApiTokenEntity) =>
  Object.assign(new ApiTokenType(), {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    last4: t.last4,
    scope: t.scope,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    createdAt: t.createdAt,
  });

/** Credentials via API, requests through an account, and personal API tokens. */
@Resolver()
export class CredentialsResolver {
  @Access("authenticated", { account: "readCredentials" })
  @Mutation(() => AccountCredentials, { description: "An account's credentials with a fresh access token (a mutation, so nothing caches it). Audited." })
  async readAccountCredentials(@Arg("accountId", () => ID) accountId: string, @Ctx() context: RequestContext): Promise<AccountCredentials> {
    const read = await context.services.credentials.read(principalOf(context), accountId, "graphql");
    return {
      accountId: read.account.id,
      appSlug: read.account.appSlug,
      fields: Object.entries(read.fields).map(([name, value]) => ({ name, value })),
      expiresAt: read.expiresAt,
      externalIdentity: read.account.externalId || read.account.externalName ? { id: read.account.externalId, displayName: read.account.externalName } : null,
    };
  }

  @Access("authenticated", { account: "readCredentials" })
  @Mutation(() => AccountRequestResult, { description: "Sends a request to the account's app with its auth added by the service; only the app's own hosts." })
  async sendAccountRequest(@Arg("input") input: AccountRequestInput, @Ctx() context: RequestContext): Promise<AccountRequestResult> {
    return context.services.credentials.send(principalOf(context), input.accountId, input);
  }

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
