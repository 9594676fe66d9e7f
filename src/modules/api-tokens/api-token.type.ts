import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { API_TOKEN_SCOPES, type ApiTokenScope } from "./api-token.entity";

const ApiTokenScopeEnum = Object.fromEntries(API_TOKEN_SCOPES.map((s) => [s, s])) as { [S in ApiTokenScope]: S };
registerEnumType(ApiTokenScopeEnum, {
  name: "ApiTokenScope",
  valuesConfig: {
    FULL: { description: "Everything the member may do." },
    READ_ONLY: { description: "Queries, and credential reads; no other mutation." },
    CREDENTIALS_READ: { description: "Only credential reads (GraphQL readAccountCredentials and the REST endpoint)." },
  },
});

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
