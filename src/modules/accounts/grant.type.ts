import { Field, ID, ObjectType } from "type-graphql";

/** A share of an account. */
@ObjectType("AccountGrant")
export class GrantType {
  @Field(() => ID)
  id!: string;

  @Field({ description: "True for a share with the whole workspace; otherwise `member` is set." })
  wholeWorkspace!: boolean;

  /** Resolved through `member`. */
  memberId!: string | null;

  /** Resolved through `grantedBy`. */
  grantedByMemberId!: string | null;

  @Field()
  createdAt!: Date;
}
