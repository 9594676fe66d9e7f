import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import { ExternalIdentityType } from "../accounts/account.type";

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
