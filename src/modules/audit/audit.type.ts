import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { PageInfo } from "../../graphql/page.type";
import { AUDIT_ACTIONS, type AuditAction } from "./audit-event.entity";

/** The GraphQL enum of audited actions. */
export const AuditActionEnum = Object.fromEntries(AUDIT_ACTIONS.map((a) => [a, a])) as { [A in AuditAction]: A };
registerEnumType(AuditActionEnum, { name: "AuditAction", description: "What an audit entry records." });

/** One entry of the audit trail. */
@ObjectType("AuditEvent")
export class AuditEventType {
  @Field(() => ID)
  id!: string;

  @Field(() => AuditActionEnum)
  action!: AuditAction;

  @Field({ description: "The acting user (`sub`), or `system`." })
  actorUserId!: string;

  @Field(() => ID, { nullable: true })
  actorMemberId!: string | null;

  @Field(() => ID, { nullable: true, description: "The account concerned (it may since have been deleted)." })
  accountId!: string | null;

  @Field(() => GraphQLJSONObject, { description: "Non-secret details (ids, names, reasons)." })
  details!: Record<string, unknown>;

  @Field()
  createdAt!: Date;
}

/** A page of the audit trail. */
@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEventType])
  nodes!: AuditEventType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}
