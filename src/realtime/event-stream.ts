import type { DataSource } from "typeorm";
import { accountCapabilities, type AccountSubject } from "../authz/account-access";
import { isIdentityKnown, subjectOf } from "../authz/account-subject";
import { resolveAccountViewer } from "../modules/workspaces/account-viewer";
import type { Principal } from "../auth/principal";
import { createLoaders } from "../modules/loaders";
import { createWorkspaceLoaders } from "../modules/workspaces/workspace.loaders";
import { notFound } from "../errors/app-error";
import { feedOf, type FeedSubscription } from "./event-feed";
import type { EventLog } from "../events/event-log";
import type { AccountEventEntity, EventKind } from "../events/event.entity";

export { presentEvent } from "./event-present";

/** What a subscription asks for. */
export interface StreamOptions {
  workspaceId: string;
  /** Resume after this cursor (replaying what was missed); absent: only what happens from now on. */
  after?: number | null;
  kinds?: EventKind[] | null;
  accountIds?: string[] | null;
}

/**
 * Whether the principal may view the event's account at this moment (SPEC §5: revoking access or
 * removing a member stops their events). Deleted accounts are judged on who could view them then.
 * One principal and one event; live delivery decides for all subscribers at once (DeliveryAccess).
 */
export async function mayView(dataSource: DataSource, principal: Principal, event: AccountEventEntity): Promise<boolean> {
  const loaders = createLoaders(dataSource, principal);
  const viewer = await resolveAccountViewer(loaders.workspaces, event.workspaceId);
  if (!viewer) return false;
  let subject: AccountSubject | null;
  if (event.kind === "ACCOUNT_DELETED") {
    subject = (JSON.parse(event.payload) as { subject: AccountSubject | null }).subject;
  } else {
    const account = await loaders.accounts.accountById.load(event.accountId);
    subject = account ? subjectOf({ ...account, identityKnown: isIdentityKnown(account) }, await loaders.accounts.grantsByAccount.load(account.id)) : null;
  }
  return subject !== null && accountCapabilities(viewer, subject).view;
}

/**
 * The events of a workspace for one subscriber: first the ones after its cursor (from the durable
 * log), then live ones as notices arrive, always read from the log in cursor order, so that a
 * notice dropped on the way, or arriving out of order, leaves no gap and makes no duplicate. Each
 * event is authorized for the subscriber when it is delivered. The log is read once per workspace
 * for all its subscribers in this process (EventFeed), not once per subscriber.
 */
export async function accountEventStream(log: EventLog, principal: Principal, options: StreamOptions): Promise<FeedSubscription> {
  // Only the workspace loaders (not every module's), and one statement: the membership is read
  // with its workspace row, whose event_seq is the head a subscription "from now" starts at.
  const loaders = createWorkspaceLoaders(log.dataSource, principal);
  const viewer = await resolveAccountViewer(loaders, options.workspaceId);
  if (!viewer) throw notFound("Workspace");
  const cursor = options.after ?? loaders.workspaceById.peek(options.workspaceId)?.eventSeq ?? (await log.head(options.workspaceId));
  return feedOf(log).open(
    principal,
    options.workspaceId,
    cursor,
    options.kinds?.length ? new Set(options.kinds) : null,
    options.accountIds?.length ? new Set(options.accountIds) : null,
  );
}
