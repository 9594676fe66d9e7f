import type { DataSource } from "typeorm";
import { accountCapabilities, type AccountSubject } from "../authz/account-access";
import { isIdentityKnown, resolveAccountViewer, subjectOf } from "../authz/account-viewer";
import type { Principal } from "../auth/principal";
import { createLoaders } from "../context";
import { notFound } from "../errors/app-error";
import { AccountEventType } from "./account-event.type";
import type { EventNotice } from "./event-bus";
import type { EventLog } from "./event-log";
import type { AccountEventEntity, EventKind } from "./event.entity";

/** What a subscription asks for. */
export interface StreamOptions {
  workspaceId: string;
  /** Resume after this cursor (replaying what was missed); absent: only what happens from now on. */
  after?: number | null;
  kinds?: EventKind[] | null;
  accountIds?: string[] | null;
}

const PAGE = 500;

/** Turns a log row into the GraphQL event. */
export function presentEvent(row: AccountEventEntity): AccountEventType {
  const payload = JSON.parse(row.payload) as { details: Record<string, unknown> };
  return Object.assign(new AccountEventType(), {
    id: row.id,
    cursor: row.seq,
    kind: row.kind,
    workspaceId: row.workspaceId,
    accountId: row.accountId,
    details: payload.details,
    occurredAt: row.createdAt,
  });
}

/**
 * Whether the principal may view the event's account at this moment (SPEC §5: revoking access or
 * removing a member stops their events). Deleted accounts are judged on who could view them then.
 */
export async function mayView(dataSource: DataSource, principal: Principal, event: AccountEventEntity): Promise<boolean> {
  const loaders = createLoaders(dataSource, principal);
  const viewer = await resolveAccountViewer(loaders, event.workspaceId);
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
 * event is authorized for the subscriber when it is delivered.
 */
export async function* accountEventStream(log: EventLog, principal: Principal, options: StreamOptions): AsyncGenerator<AccountEventType> {
  const { dataSource, bus } = log;
  const viewer = await resolveAccountViewer(createLoaders(dataSource, principal), options.workspaceId);
  if (!viewer) throw notFound("Workspace");
  let cursor = options.after ?? (await log.head(options.workspaceId));
  let wake: (() => void) | null = null;
  let pending = false;
  const unsubscribe = bus.subscribe((notice: EventNotice) => {
    if (notice.workspaceId !== options.workspaceId || notice.seq <= cursor) return;
    pending = true;
    wake?.();
  });
  const kinds = options.kinds?.length ? new Set(options.kinds) : null;
  const accounts = options.accountIds?.length ? new Set(options.accountIds) : null;
  try {
    for (;;) {
      pending = false;
      for (;;) {
        const rows = await log.after(options.workspaceId, cursor, PAGE);
        for (const row of rows) {
          cursor = row.seq;
          if (kinds && !kinds.has(row.kind)) continue;
          if (accounts && !accounts.has(row.accountId)) continue;
          if (await mayView(dataSource, principal, row)) yield presentEvent(row);
        }
        if (rows.length < PAGE) break;
      }
      if (!pending) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    unsubscribe();
  }
}
