import type { ApiTokenEntity } from "./api-token.entity";
import { ApiTokenType } from "./api-token.type";

/** A token as listed: never the token itself. */
export const presentToken = (t: ApiTokenEntity) =>
  Object.assign(new ApiTokenType(), {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    last4: t.last4,
    scope: t.scope,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    createdAt: t.createdAt,
  });
