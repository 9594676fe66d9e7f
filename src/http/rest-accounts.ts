import type { IncomingMessage, ServerResponse } from "node:http";
import type { DataSource } from "typeorm";
import type { TokenVerifier } from "../auth/token-verifier";
import { createLoaders } from "../modules/loaders";
import { authFailure } from "../auth/token-verifier";
import { forbidden, notFound } from "../errors/app-error";
import { logOperationalError, toClientError } from "../errors/client-error";
import type { Logger } from "../logging/logger";
import type { AccountEntity } from "../modules/accounts/account.entity";
import type { Services } from "../services";
import { sendJson, sendRestError } from "./respond";

const ROUTE = /^\/v1\/accounts\/([^/]+)$/;
const NO_CACHE = { pragma: "no-cache" } as const;
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a path is served by the REST accounts endpoint. */
export const isRestAccountsPath = (path: string) => ROUTE.test(path);

/**
 * GET /v1/accounts/:id[?include_credentials=1] — the account (view) and, when asked, its
 * credentials with a fresh access token (read credentials; audited). Never cached. For callers
 * outside GraphQL, with a bearer JWT or a personal API token.
 */
export async function handleRestAccount(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  search: string,
  deps: { dataSource: DataSource; services: Services; verifier: TokenVerifier; logger: Logger },
): Promise<void> {
  try {
    if (req.method !== "GET") {
      sendRestError(res, { code: "BAD_REQUEST", message: "Use GET." }, 405, { allow: "GET" });
      return;
    }
    const principal = await deps.verifier.authenticate(req.headers.authorization);
    if (!principal) throw authFailure("MISSING", "Authentication is required: send Authorization: Bearer <token>.");
    const accountId = ROUTE.exec(path)![1]!;
    if (!ACCOUNT_ID.test(accountId)) throw notFound("Account");
    // The token fetch's own query string, without building a URLSearchParams for it.
    const includeCredentials = search === "?include_credentials=1" || ["1", "true"].includes(new URLSearchParams(search).get("include_credentials") ?? "");
    if (principal.apiToken?.scope === "CREDENTIALS_READ" && !includeCredentials) {
      throw forbidden("This API token may only read credentials.");
    }
    const body: Record<string, unknown> = {};
    if (includeCredentials) {
      const read = await deps.services.credentials.read(principal, accountId, "rest");
      Object.assign(body, restSummary(read.account), { credentials: { ...read.fields, expires_at: read.expiresAt?.toISOString() ?? null } });
    } else {
      const loaders = createLoaders(deps.dataSource, principal);
      Object.assign(body, restSummary((await deps.services.accounts.authorize(loaders, accountId, "view")).account));
    }
    sendJson(res, 200, body, NO_CACHE);
  } catch (error) {
    const client = toClientError(error);
    logOperationalError(deps.logger, error, client.code, { rest: path });
    sendRestError(res, client);
  }
}

/**
 * The account part of a REST answer, straight from the account's columns: the token fetch reads
 * only the columns it needs, and building the whole GraphQL presentation (health, connection
 * values, identity objects) to take seven fields of it was work on every fetch.
 * test/token-fetch.test.ts checks it says what the GraphQL view says.
 */
function restSummary(account: Pick<AccountEntity, "id" | "appSlug" | "nickname" | "healthStatus" | "scopes" | "externalId" | "externalName" | "connectedAt">) {
  return {
    id: account.id,
    app: account.appSlug,
    nickname: account.nickname,
    health: account.healthStatus,
    scopes: JSON.parse(account.scopes) as string[],
    external_identity: account.externalId || account.externalName ? { id: account.externalId, displayName: account.externalName } : null,
    connected_at: account.connectedAt.toISOString(),
  };
}
