import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { AppRequestStatus } from "./app-request.entity";

export const AppRequestStatusEnum = { OPEN: "OPEN", CLOSED: "CLOSED" } as const;
registerEnumType(AppRequestStatusEnum, {
  name: "AppRequestStatus",
  valuesConfig: {
    OPEN: { description: "Waiting for an answer; asking for the same app again counts on it." },
    CLOSED: { description: "Answered; asking again opens a new request." },
  },
});

/** A request for an app the catalog lacks. */
@ObjectType("AppRequest")
export class AppRequestType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Int, { description: "How many times the app was asked for while this request was open." })
  count!: number;

  @Field(() => AppRequestStatusEnum)
  status!: AppRequestStatus;

  @Field(() => ID, { description: "The member who asked first." })
  requestedByMemberId!: string;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}

/** Input of requestApp. */
@InputType()
export class RequestAppInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "1 to 120 characters; not an app already in the catalog." })
  name!: string;

  @Field(() => String, { nullable: true, description: "The app's website (http or https)." })
  url?: string | null;

  @Field(() => String, { nullable: true, description: "At most 1000 characters." })
  reason?: string | null;
}
