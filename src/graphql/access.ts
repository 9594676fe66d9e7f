import type { RequestContext } from "../context";
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

/** The declaration of one root operation. */
export interface AccessDeclaration {
  rule: AccessRule;
  /** Set on every operation that reads or changes account data. */
  account?: AccountAccess;
}

const declared = new Map<Function, Map<string, AccessDeclaration>>();

// Root fields a credentials-only API token may call.
const CREDENTIAL_FIELDS = new Set(["readAccountCredentials"]);

/**
 * The first gate of every root field (see `guardRootFields` in schema.ts, which puts it in front
 * of each one): a caller, and an API token's scope. Object-level rules come after, in services.
 */
export function checkRootAccess(context: Pick<RequestContext, "principal">, rootType: string, fieldName: string): void {
  if (!context.principal) throw unauthenticated();
  const scope = context.principal.apiToken?.scope;
  if (scope === "CREDENTIALS_READ" && !CREDENTIAL_FIELDS.has(fieldName)) {
    throw forbidden("This API token may only read credentials.");
  }
  if (scope === "READ_ONLY" && rootType === "Mutation" && !CREDENTIAL_FIELDS.has(fieldName)) {
    throw forbidden("This API token is read-only.");
  }
}

/**
 * Declares the access rule of a root query, mutation or subscription. Every root operation must
 * carry one; a test walks the schema and fails on any that does not. The gate itself
 * (`checkRootAccess`) is put in front of every root field when the schema is built: a plain call
 * rather than a type-graphql middleware, whose async chain ran on every operation.
 */
export function Access(rule: AccessRule, options: { account?: AccountAccess } = {}): MethodDecorator {
  return (target, propertyKey) => {
    const byMethod = declared.get(target.constructor) ?? new Map<string, AccessDeclaration>();
    byMethod.set(String(propertyKey), { rule, ...options });
    declared.set(target.constructor, byMethod);
  };
}

/** The declaration on a resolver method, if any (read by the coverage test). */
export function declaredAccess(resolverClass: Function, methodName: string): AccessDeclaration | undefined {
  return declared.get(resolverClass)?.get(methodName);
}

/** The authenticated principal of a context (root guards have already run). */
export function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
