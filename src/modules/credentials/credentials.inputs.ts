import { Field, ID, InputType } from "type-graphql";
import { HttpRequestInput } from "../workflows/workflow.type";

/** Input of sendAccountRequest. */
@InputType()
export class AccountRequestInput extends HttpRequestInput {
  @Field(() => ID)
  accountId!: string;
}
