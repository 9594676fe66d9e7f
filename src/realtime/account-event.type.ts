import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { EVENT_KINDS, type EventKind } from "../events/event.entity";

/** The GraphQL enum of event kinds. */
export const EventKindEnum = Object.fromEntries(EVENT_KINDS.map((k) => [k, k])) as { [K in EventKind]: K };
registerEnumType(EventKindEnum, { name: "AccountEventKind", description: "What happened to an account (SPEC §5)." });

/** An event about an account: ids and non-secret fields only. */
@ObjectType("AccountEvent")
export class AccountEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "The per-workspace cursor: resume with `after` set to the last one received." })
  cursor!: number;

  @Field(() => EventKindEnum)
  kind!: EventKind;

  @Field(() => ID)
  workspaceId!: string;

  @Field(() => ID)
  accountId!: string;

  @Field(() => GraphQLJSONObject, { description: "Non-secret details (scopes added/removed, reasons, grantees)." })
  details!: Record<string, unknown>;

  @Field()
  occurredAt!: Date;
}
