import { AccountEventType } from "./account-event.type";
import type { AccountEventEntity } from "../events/event.entity";

/** Turns a log row into the GraphQL event (ids and non-secret details only). */
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
