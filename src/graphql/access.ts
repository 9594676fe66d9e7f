import { UseMiddleware, type MiddlewareFn } from "type-graphql";
import type { RequestContext } from "../context";
import type { Principal } from "../auth/principal";
import { unauthenticated } from "../errors/app-error";

/**
 * What a root operation requires before its resolver runs. Object-level permissions (workspace
 * role, the account matrix) are decided by the service the resolver calls; this is the first gate.
 */
export type AccessRule = "authenticated";

const declared = new Map<Function, Map<string, AccessRule>>();

const requireAuthentication: MiddlewareFn<RequestContext> = ({ context }, next) => {
  if (!context.principal) throw unauthenticated();
  return next();
};

/**
 * Declares (and enforces) the access rule of a root query, mutation or subscription. Every root
 * operation must carry one; a test walks the schema and fails on any that does not.
 */
export function Access(rule: AccessRule): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const byMethod = declared.get(target.constructor) ?? new Map<string, AccessRule>();
    byMethod.set(String(propertyKey), rule);
    declared.set(target.constructor, byMethod);
    UseMiddleware(requireAuthentication)(target, propertyKey, descriptor);
  };
}

/** The rule declared on a resolver method, if any (read by the coverage test). */
export function declaredAccess(resolverClass: Function, methodName: string): AccessRule | undefined {
  return declared.get(resolverClass)?.get(methodName);
}

/** The authenticated principal of a context (root guards have already run). */
export function principalOf(context: RequestContext): Principal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
