import { Arg, Ctx, Field, ID, InputType, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { forbidden } from "../../errors/app-error";
import { Access } from "../../graphql/access";
import { PageInput } from "../../graphql/page.type";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { AuditEventEntity } from "./audit-event.entity";
import { AuditEventConnection, AuditEventType } from "./audit.type";

/** Filters of the audit trail. */
@InputType()
export class AuditFilterInput {
  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => String, { nullable: true, description: "The acting user's id (`sub`)." })
  actorUserId?: string | null;
}

/** Copies the exposed fields of an audit entry. */
export function presentAuditEvent(entity: AuditEventEntity): AuditEventType {
  return Object.assign(new AuditEventType(), {
    id: entity.id,
    action: entity.action,
    actorUserId: entity.actorUserId,
    actorMemberId: entity.actorMemberId,
    accountId: entity.accountId,
    details: JSON.parse(entity.details) as Record<string, unknown>,
    createdAt: entity.createdAt,
  });
}

/** The audit trail, for OWNER/ADMIN of a workspace. */
@Resolver(() => AuditEventType)
export class AuditResolver {
  @Access("authenticated", { account: "view" })
  @Query(() => AuditEventConnection, { description: "A workspace's audit trail, newest first (OWNER/ADMIN)." })
  async auditTrail(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Ctx() context: RequestContext,
    @Arg("filter", () => AuditFilterInput, { nullable: true }) filter?: AuditFilterInput | null,
    @Arg("page", () => PageInput, { nullable: true }) page?: PageInput | null,
  ): Promise<AuditEventConnection> {
    const membership = await context.services.workspaces.requireMembership(context.loaders.workspaces, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins can read the audit trail.");
    const result = await context.services.audit.list(workspaceId, filter ?? {}, page ?? {});
    return { nodes: result.nodes.map(presentAuditEvent), pageInfo: result.pageInfo };
  }
}
