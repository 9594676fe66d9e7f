import { createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (Unix
 * seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several
 * separated by spaces while a rotated secret is still valid). Secrets are `whsec_` and base64 of
 * 32 random bytes, the form the `standardwebhooks` libraries take.
 */
export const SECRET_PREFIX = "whsec_";

/** A new signing secret. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString("base64");
}

/** The `webhook-id` of one event at one endpoint: the same on every attempt and redelivery. */
export function messageIdOf(endpointId: string, eventId: string): string {
  return `msg_${createHash("sha256").update(`${endpointId}:${eventId}`).digest("base64url").slice(0, 32)}`;
}

/** The signature of one message under one secret (`v1,…`). */
export function signature(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${messageId}.${timestamp}.${body}`).digest("base64")}`;
}

/** The three headers of a message, signed with every secret given (current first). */
export function signedHeaders(secrets: readonly string[], messageId: string, timestamp: number, body: string): Record<string, string> {
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((secret) => signature(secret, messageId, timestamp, body)).join(" "),
  };
}
