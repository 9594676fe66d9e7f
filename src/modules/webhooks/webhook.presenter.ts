import type { WebhookDeliveryEntity, WebhookEndpointEntity } from "./webhook.entity";
import { WebhookDeliveryType, WebhookEndpointType } from "./webhook.type";

/** The endpoint as the API shows it: never its secrets. */
export function presentEndpoint(entity: WebhookEndpointEntity): WebhookEndpointType {
  return Object.assign(new WebhookEndpointType(), {
    id: entity.id,
    workspaceId: entity.workspaceId,
    url: entity.url,
    description: entity.description,
    kinds: entity.kinds ? (JSON.parse(entity.kinds) as string[]) : null,
    accountIds: entity.accountIds ? (JSON.parse(entity.accountIds) as string[]) : null,
    enabled: entity.enabled,
    disabledReason: entity.disabledReason,
    cursor: entity.cursor,
    failingSince: entity.failingSince,
    nextAttemptAt: entity.nextAttemptAt,
    previousSecretValidUntil: entity.previousSecret && entity.previousSecretUntil && entity.previousSecretUntil.getTime() > Date.now() ? entity.previousSecretUntil : null,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  });
}

export function presentDelivery(entity: WebhookDeliveryEntity): WebhookDeliveryType {
  return Object.assign(new WebhookDeliveryType(), {
    id: entity.id,
    kind: entity.kind,
    eventId: entity.eventId,
    cursor: entity.seq,
    messageId: entity.messageId,
    status: entity.status,
    attempts: entity.attempts,
    responseStatus: entity.responseStatus,
    error: entity.error,
    latencyMs: entity.latencyMs,
    responseExcerpt: entity.responseExcerpt,
    nextAttemptAt: entity.nextAttemptAt,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  });
}
