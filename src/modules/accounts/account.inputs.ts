import { Field, ID, InputType } from "type-graphql";
import type { HealthStatus } from "./account.entity";
import { HealthStatusEnum, SharedStateEnum } from "./account.type";
import { ConnectionValueInput } from "../apps/app.type";
import type { SharedState } from "./account.service";

/** One credential field, by the app's field name. Write-only: values never come back. */
@InputType()
export class CredentialFieldInput {
  @Field()
  name!: string;

  @Field()
  value!: string;
}

/** Input of connectKeyAccount. */
@InputType()
export class ConnectKeyAccountInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  appSlug!: string;

  @Field(() => String, { nullable: true, description: "Defaults to the app's name." })
  nickname?: string | null;

  @Field(() => [CredentialFieldInput])
  credentials!: CredentialFieldInput[];

  @Field(() => Boolean, { nullable: true, description: "Check the credentials against the app first, where it has a test request (default true)." })
  verify?: boolean | null;

  @Field(() => [ConnectionValueInput], { nullable: true, description: "The app's connection parameters (App.parameters): a subdomain, a region. Kept for the account's life." })
  parameters?: ConnectionValueInput[] | null;
}

/** Input of reconnectKeyAccount. */
@InputType()
export class ReconnectKeyAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => [CredentialFieldInput])
  credentials!: CredentialFieldInput[];

  @Field(() => Boolean, { nullable: true })
  verify?: boolean | null;
}

/** Input of renameAccount. */
@InputType()
export class RenameAccountInput {
  @Field(() => ID)
  accountId!: string;

  @Field()
  nickname!: string;
}

/** Input of deleteAccount. */
@InputType()
export class DeleteAccountInput {
  @Field(() => ID)
  accountId!: string;
}

/** Input of shareAccount and revokeAccountAccess. */
@InputType()
export class AccountAccessInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Boolean, { nullable: true, description: "The whole workspace." })
  workspace?: boolean | null;

  @Field(() => [ID], { nullable: true, description: "Members of the account's workspace." })
  memberIds?: string[] | null;
}

/** Filters of the accounts list. */
@InputType()
export class AccountFilterInput {
  @Field(() => String, { nullable: true })
  appSlug?: string | null;

  @Field(() => ID, { nullable: true })
  ownerMemberId?: string | null;

  @Field(() => SharedStateEnum, { nullable: true })
  shared?: SharedState | null;

  @Field(() => HealthStatusEnum, { nullable: true })
  health?: HealthStatus | null;

  @Field(() => String, { nullable: true, description: "Part of the nickname." })
  search?: string | null;
}

/** One account of an import. */
@InputType()
export class LegacyAccountInput {
  @Field()
  appSlug!: string;

  @Field()
  nickname!: string;

  @Field(() => [CredentialFieldInput])
  credentials!: CredentialFieldInput[];

  @Field(() => Date, { nullable: true, description: "When it was connected in the earlier system." })
  createdAt?: Date | null;

  @Field(() => String, { nullable: true, description: "The provider's user/team id, if known." })
  externalId?: string | null;

  @Field(() => String, { nullable: true })
  externalName?: string | null;

  @Field(() => [ConnectionValueInput], { nullable: true, description: "The app's connection parameters (App.parameters), as at connect." })
  parameters?: ConnectionValueInput[] | null;

  @Field(() => [ConnectionValueInput], {
    nullable: true,
    description: "The values the earlier system learned from the app (App.learnedValues, e.g. an instance URL); each is checked as if learned now.",
  })
  learned?: ConnectionValueInput[] | null;
}

/** Input of importLegacyAccounts. */
@InputType()
export class ImportLegacyAccountsInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => [LegacyAccountInput])
  accounts!: LegacyAccountInput[];
}
