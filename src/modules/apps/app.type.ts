import { Directive, Field, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../../graphql/page.type";
import type { AuthType } from "./app-definition";

/** The GraphQL enum of auth types. */
export const AuthTypeEnum = { OAUTH2: "OAUTH2", KEYS: "KEYS", BASIC: "BASIC", NONE: "NONE" } as const satisfies {
  [T in AuthType]: T;
};
registerEnumType(AuthTypeEnum, {
  name: "AuthType",
  description: "How an app authorizes requests.",
  valuesConfig: {
    OAUTH2: { description: "OAuth 2 authorization code grant; the service keeps the tokens fresh." },
    KEYS: { description: "API keys or other long-lived tokens the member creates at the app." },
    BASIC: { description: "HTTP Basic credentials." },
    NONE: { description: "No credentials needed." },
  },
});

/** A credential field a key-based app asks for. */
@ObjectType("AppField")
export class AppFieldType {
  @Field()
  name!: string;

  @Field()
  label!: string;

  @Field({ description: "Secret fields are write-only once stored." })
  secret!: boolean;

  @Field()
  optional!: boolean;

  @Field(() => String, { nullable: true, description: "A regular expression the value must match." })
  pattern!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;
}

/** OAuth endpoints and defaults of an app. */
@ObjectType("AppOAuth")
export class AppOAuthType {
  @Field()
  authorizationUrl!: string;

  @Field()
  tokenUrl!: string;

  @Field(() => String, { nullable: true })
  revocationUrl!: string | null;

  @Field(() => [String])
  defaultScopes!: string[];

  @Field()
  scopeSeparator!: string;

  @Field({ description: "Whether the provider supports PKCE (S256)." })
  pkce!: boolean;
}

/** One choice of a connection parameter with a closed list of values. */
@ObjectType("AppParameterChoice")
export class AppParameterChoiceType {
  @Field()
  value!: string;

  @Field()
  label!: string;
}

/** A value a member gives when connecting a tenant app (a store, a subdomain, a region). */
@ObjectType("AppParameter")
export class AppParameterType {
  @Field()
  name!: string;

  @Field()
  label!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "A regular expression the value must match (null when `choices` lists the values)." })
  pattern!: string | null;

  @Field(() => [AppParameterChoiceType], { nullable: true, description: "The only values it takes, when it is a closed list." })
  choices!: AppParameterChoiceType[] | null;

  @Field()
  optional!: boolean;

  @Field(() => String, { nullable: true, description: "Used when none is given." })
  default!: string | null;

  @Field({ description: "A valid value, to show as a hint." })
  example!: string;
}

/** A value the service learns from the app when an account connects (an instance URL, a data centre). */
@ObjectType("AppLearnedValue")
export class AppLearnedValueType {
  @Field()
  name!: string;

  @Field()
  label!: string;
}

/** One name/value pair of a connection: a parameter given at connect, or a value learned from the app. Never secret. */
@ObjectType("ConnectionValue")
export class ConnectionValueType {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

/** A connection parameter given when connecting (or importing) a tenant app. */
@InputType()
export class ConnectionValueInput {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

/** An entry of the app catalog. */
@Directive(`@key(fields: "slug")`)
@ObjectType("App")
export class AppType {
  @Field()
  slug!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => AuthTypeEnum)
  authType!: AuthType;

  @Field(() => [String])
  categories!: string[];

  @Field(() => String, { nullable: true })
  homepageUrl!: string | null;

  @Field({ description: "Requests made with an account of this app go to paths under this URL." })
  apiBaseUrl!: string;

  @Field(() => AppOAuthType, { nullable: true })
  oauth!: AppOAuthType | null;

  @Field(() => [AppFieldType], { description: "What a member submits to connect (key-based and basic apps)." })
  fields!: AppFieldType[];

  @Field(() => [String], { description: "Names of the request headers the credentials become." })
  authHeaderNames!: string[];

  @Field({ description: "Whether the service can check credentials against the app when they are connected." })
  hasTestRequest!: boolean;

  @Field(() => [AppParameterType], { description: "What a member gives when connecting, besides credentials (tenant apps: a store, a subdomain, a region). Empty for most apps." })
  parameters!: AppParameterType[];

  @Field(() => [AppLearnedValueType], { description: "What the service learns from the app when an account connects (shown on the account)." })
  learnedValues!: AppLearnedValueType[];

  @Field(() => [String], { description: "The hosts every request of a connection stays on (`*.` matches one or more labels)." })
  hosts!: string[];
}

/** A page of apps. */
@ObjectType()
export class AppConnection {
  @Field(() => [AppType])
  nodes!: AppType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: "Apps matching the filters, across all pages." })
  totalCount!: number;
}
