import { Arg, Ctx, ID, Int, Query, Resolver, Root, Subscription, type SubscribeResolverData } from "type-graphql";
import type { RequestContext } from "../graphql/context";
import { forbidden, unauthenticated } from "../errors/app-error";
import { Access, principalOf } from "../graphql/access";
import { WORKSPACE_POLICY } from "../modules/workspaces/workspace.policy";
import { AccountEventType, EventKindEnum } from "./account-event.type";
import { accountEventStream, mayView, presentEvent } from "./event-stream";
import type { EventKind } from "../events/event.entity";

interface EventArgs {
  workspaceId: string;
  after?: number | null;
  kinds?: EventKind[] | null;
  accountIds?: string[] | null;
}

const ALERT_KINDS: EventKind[] = ["ACCOUNT_AUTH_FAILED", "ACCOUNT_RECONNECT_REQUIRED"];

function streamOf({ args, context }: SubscribeResolverData<unknown, EventArgs, RequestContext>, kinds?: EventKind[]) {
  if (!context.principal) throw unauthenticated();
  const { services } = context;
  return accountEventStream(services.events, context.principal, {
    workspaceId: args.workspaceId,
    after: args.after,
    kinds: kinds ?? args.kinds,
    accountIds: args.accountIds,
  }).then((subscription) => {
    // A member's subscription (the stream checked it): closed if the workspace is deleted.
    context.watchWorkspace?.(args.workspaceId);
    return subscription;
  });
}

async function alertStream(data: SubscribeResolverData<unknown, EventArgs, RequestContext>) {
  const { args, context } = data;
  const membership = await context.services.workspaces.requireMembership(context.loaders.workspaces, args.workspaceId);
  if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins subscribe to workspace alerts.");
  return streamOf(data, ALERT_KINDS);
}

/** Realtime account events over graphql-ws, and the same log readable as a query. */
@Resolver(() => AccountEventType)
export class AccountEventResolver {
  @Access("authenticated", { account: "view" })
  @Subscription(() => AccountEventType, {
    subscribe: (data) => streamOf(data as SubscribeResolverData<unknown, EventArgs, RequestContext>),
    description: "Events about accounts the subscriber may view (checked at each delivery). With `after`, first replays exactly the events after that cursor, then continues live.",
  })
  accountEvents(
    @Root() event: AccountEventType,
    @Arg("workspaceId", () => ID) _workspaceId: string,
    @Arg("after", () => Int, { nullable: true }) _after?: number | null,
    @Arg("kinds", () => [EventKindEnum], { nullable: true }) _kinds?: EventKind[] | null,
    @Arg("accountIds", () => [ID], { nullable: true }) _accountIds?: string[] | null,
  ): AccountEventType {
    return event;
  }

  @Access("authenticated", { account: "view" })
  @Subscription(() => AccountEventType, {
    subscribe: (data) => alertStream(data as SubscribeResolverData<unknown, EventArgs, RequestContext>),
    description: "Admin consoles (OWNER/ADMIN): auth failures and reconnect-required alerts across the workspace.",
  })
  accountAlerts(
    @Root() event: AccountEventType,
    @Arg("workspaceId", () => ID) _workspaceId: string,
    @Arg("after", () => Int, { nullable: true }) _after?: number | null,
  ): AccountEventType {
    return event;
  }

  @Access("authenticated", { account: "view" })
  @Query(() => [AccountEventType], { description: "Events after a cursor that the caller may view (the subscription's replay, as a query)." })
  async accountEventLog(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Ctx() context: RequestContext,
    @Arg("after", () => Int, { nullable: true }) after?: number | null,
  ): Promise<AccountEventType[]> {
    const principal = principalOf(context);
    await context.services.workspaces.requireMembership(context.loaders.workspaces, workspaceId);
    const rows = await context.services.events.after(workspaceId, after ?? 0, 500);
    const events: AccountEventType[] = [];
    for (const row of rows) if (await mayView(context.services.events.dataSource, principal, row)) events.push(presentEvent(row));
    return events;
  }
}
