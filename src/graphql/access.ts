import type { RequestContext } from "./context";
import type { Principal } from "../auth/principal";
import { forbidden, unauthenticated } from "../errors/app-error";
import type { AccountOperation } from "../authz/account-matrix";

/**
 * What a root operation requires before its resolver runs. Object-level permissions (workspace
 * role, the account matrix) are decided by the service the resolver calls; this is the first gate.
 */
export type AccessRule = "authenticated";

/** What a root operation does to accounts: an operation of the matrix, or creating accounts. */
export type AccountAccess = AccountOperation | "connect" | "import";

/**
 * Where a root operation acts, which decides what a personal API token (bound to one workspace)
 * gets from it:
 * - `workspace`: objects of one workspace, named by its arguments. A token of another workspace
 *   gets NOT_FOUND, exactly as someone outside that workspace would.
 * - `caller`: the caller as a person (`viewer`): a token sees only its own workspace.
 * - `signed-in`: acts for the person beyond any one workspace (creating workspaces, creating API
 *   tokens): API tokens get FORBIDDEN.
 * - `catalog`: the same answer for every caller (the app catalog, egress ranges, `_service`): no
 *   workspace data at all.
 */
export type AccessReach = "workspace" | "caller" | "signed-in" | "catalog";

/** The declaration of one root operation. */
export interface AccessDeclaration {
  rule: AccessRule;
  /** Set on every operation that reads or changes account data. */
  account?: AccountAccess;
  reach: AccessReach;
}

const declared = new Map<Function, Map<string, AccessDeclaration>>();

// Root fields a credentials-only API token may call.
const CREDENTIAL_FIELDS = new Set(["readAccountCredentials"]);

/**
 * The first gate of every root field (see `guardRootFields` in schema.ts, which puts it in front
 * of each one): a caller, an API token's scope, and whether a token may call it at all (`reach`).
 * Which workspace a token may act in is decided where memberships are read (`mayActIn`), so every
 * path to an object obeys it, not only root fields.
 */
export function checkRootAccess(context: Pick<RequestContext, "principal">, rootType: string, fieldName: string, reach: AccessReach = "workspace"): void {
  if (!context.principal) throw unauthenticated();
  const token = context.principal.apiToken;
  if (!token) return;
  if (token.scope === "CREDENTIALS_READ" && !CREDENTIAL_FIELDS.has(fieldName)) {
    throw forbidden("This API token may only read credentials.");
  }
  if (token.scope === "READ_ONLY" && rootType === "Mutation" && !CREDENTIAL_FIELDS.has(fieldName)) {
    throw forbidden("This API token is read-only.");
  }
  if (reach === "signed-in") throw forbidden("API tokens act in their own workspace only; sign in to do this.");
}

/**
 * Declares the access rule of a root query, mutation or subscription. Every root operation must
 * carry one; a test walks the schema and fails on any that does not, and another calls each one
 * with API tokens of every scope from another workspace and checks the outcome `reach` promises.
 * The gate itself (`checkRootAccess`) is put in front of every root field when the schema is
 * built: a plain call rather than a type-graphql middleware, whose async chain ran on every
 * operation.
 */
export function Access(rule: AccessRule, options: { account?: AccountAccess; reach?: AccessReach } = {}): MethodDecorator {
  return (target, propertyKey) => {
    const byMethod = declared.get(target.constructor) ?? new Map<string, AccessDeclaration>();
    byMethod.set(String(propertyKey), { rule, ...options, reach: options.reach ?? "workspace" });
    declared.set(target.constructor, byMethod);
  };
}

/** The declaration on a resolver method, if any (read by the schema builder and the coverage tests). */
export function declaredAccess(resolverClass: Function, methodName: string): AccessDeclaration | undefined {
  return declared.get(resolverClass)?.get(methodName);
}

/** The authenticated principal of a context (root guards have already run). */
export function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
