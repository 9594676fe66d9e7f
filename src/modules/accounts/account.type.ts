import { Directive, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../../graphql/page.type";
import { ConnectionValueType } from "../apps/app.type";
import { HEALTH_STATUSES, type HealthStatus } from "./account.entity";
import type { SharedState } from "./account.service";

/** The GraphQL enum of health states. */
export const HealthStatusEnum = Object.fromEntries(HEALTH_STATUSES.map((s) => [s, s])) as { [S in HealthStatus]: S };
registerEnumType(HealthStatusEnum, {
  name: "AccountHealthStatus",
  description: "Whether an account's credentials work.",
  valuesConfig: {
    HEALTHY: { description: "Credentials work." },
    NEEDS_RECONNECT: { description: "The grant is gone (revoked or expired for good): the owner must reconnect." },
    DEGRADED: { description: "Transient failures at the provider; retried with backoff." },
    CLIENT_MISCONFIGURED: { description: "The OAuth client itself is rejected by the provider; not the account's fault." },
  },
});

/** The GraphQL enum of sharing states. */
export const SharedStateEnum = { PRIVATE: "PRIVATE", WORKSPACE: "WORKSPACE", MEMBERS: "MEMBERS" } as const satisfies {
  [S in SharedState]: S;
};
registerEnumType(SharedStateEnum, {
  name: "AccountSharedState",
  valuesConfig: {
    PRIVATE: { description: "No grants: only the owner (and OWNER/ADMIN, to view and delete)." },
    WORKSPACE: { description: "Shared with the whole workspace." },
    MEMBERS: { description: "Shared with chosen members only." },
  },
});

/** The viewer's capabilities on an account, computed by the function that enforces them (SPEC §3). */
@ObjectType("AccountCapabilities")
export class AccountCapabilitiesType {
  @Field({ description: "See it on the accounts list." })
  view!: boolean;

  @Field({ description: "Add it to a new trigger or step." })
  use!: boolean;

  @Field({ description: "Modify props and code of existing steps that use it." })
  modifySteps!: boolean;

  @Field({ description: "Test existing steps that use it." })
  testSteps!: boolean;

  @Field({ description: "Share it and revoke shares." })
  manageAccess!: boolean;

  @Field({ description: "Reconnect it (for a legacy account: claim it)." })
  reconnect!: boolean;

  @Field()
  rename!: boolean;

  @Field()
  delete!: boolean;

  @Field({ description: "Read its credentials through the API." })
  readCredentials!: boolean;
}

/** An account's health. */
@ObjectType("AccountHealth")
export class AccountHealthType {
  @Field(() => HealthStatusEnum)
  status!: HealthStatus;

  @Field(() => String, { nullable: true, description: "Sanitized reason of the last failure." })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastRefreshedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  nextRefreshAt!: Date | null;
}

/** Who the account is at the provider. */
@ObjectType("ExternalIdentity")
export class ExternalIdentityType {
  @Field(() => String, { nullable: true, description: "The provider's user or team id." })
  id!: string | null;

  @Field(() => String, { nullable: true })
  displayName!: string | null;
}

/** A connected account. Credentials are never part of this type. */
@Directive(`@key(fields: "id")`)
@ObjectType("Account")
export class AccountType {
  @Field(() => ID)
  id!: string;

  /** Resolved through `workspace` and `viewerCan`. */
  workspaceId!: string;

  @Field()
  nickname!: string;

  @Field()
  appSlug!: string;

  /** The owner's member id (null for legacy accounts); resolved through `owner`. */
  ownerMemberId!: string | null;

  @Field({ description: "Legacy accounts have no owner and are shared with the workspace." })
  isLegacy!: boolean;

  /** Whether a claim can be verified (not exposed: it only feeds `viewerCan`). */
  identityKnown!: boolean;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => ExternalIdentityType, { nullable: true })
  externalIdentity!: ExternalIdentityType | null;

  @Field(() => AccountHealthType)
  health!: AccountHealthType;

  @Field(() => [ConnectionValueType], { description: "The connection parameters given at connect (a shop, a subdomain, a region); empty for most apps." })
  parameters!: ConnectionValueType[];

  @Field(() => [ConnectionValueType], { description: "What the service learned from the app at connect or refresh (an instance URL, a data centre)." })
  learnedValues!: ConnectionValueType[];

  @Field()
  connectedAt!: Date;

  @Field()
  createdAt!: Date;
}

/** A page of accounts. */
@ObjectType()
export class AccountConnection {
  @Field(() => [AccountType])
  nodes!: AccountType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

/** Result of deleteAccount. */
@ObjectType()
export class DeleteAccountPayload {
  @Field(() => ID)
  accountId!: string;
}

/** Result of reconnectKeyAccount. */
@ObjectType()
export class ReconnectAccountPayload {
  @Field(() => AccountType)
  account!: AccountType;

  @Field({ description: "True when this reconnect claimed a legacy account: the caller is now its owner." })
  claimed!: boolean;
}
