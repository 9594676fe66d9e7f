import "reflect-metadata";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import { printSchemaWithDirectives } from "@graphql-tools/utils";
import { defaultFieldResolver, execute, GraphQLScalarType, lexicographicSortSchema, parse, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import gql from "graphql-tag";
import { buildSchema, createResolversMap, getMetadataStorage } from "type-graphql";
import type { RequestContext } from "./context";
import { checkRootAccess, declaredAccess, type AccessReach } from "./access";
import { guardInputs } from "./input-guard";
import { AccountResolver, GrantResolver, resolveAccountReference } from "../modules/accounts/account.resolver";
import { AppResolver, resolveAppReference } from "../modules/apps/app.resolver";
import { AuditResolver } from "../modules/audit/audit.resolver";
import { OAuthResolver } from "../modules/oauth/oauth.resolver";
import { EgressResolver } from "../modules/apps/egress.resolver";
import { EnvironmentVariableResolver } from "../modules/env-vars/env-var.resolver";
import { AppRequestResolver } from "../modules/app-requests/app-request.resolver";
import { AccountEventResolver } from "../realtime/event.resolver";
import { CredentialsResolver } from "../modules/credentials/credentials.resolver";
import { ApiTokenResolver } from "../modules/api-tokens/api-token.resolver";
import { WebhookResolver } from "../modules/webhooks/webhook.resolver";
import { LifecycleResolver } from "../modules/lifecycle/lifecycle.resolver";
import {
  AccountUsageResolver,
  resolveStepReference,
  resolveWorkflowReference,
  StepAccountSummaryResolver,
  StepResolver,
  WorkflowResolver,
} from "../modules/workflows/workflow.resolver";
import {
  MemberResolver,
  resolveMemberReference,
  resolveWorkspaceReference,
  ViewerResolver,
  WorkspaceResolver,
} from "../modules/workspaces/workspace.resolver";

/** Every type-graphql resolver class of the service. */
export const RESOLVERS = [
  WorkspaceResolver,
  ViewerResolver,
  MemberResolver,
  AppResolver,
  AccountResolver,
  GrantResolver,
  AuditResolver,
  OAuthResolver,
  WorkflowResolver,
  StepResolver,
  StepAccountSummaryResolver,
  AccountUsageResolver,
  AccountEventResolver,
  EnvironmentVariableResolver,
  EgressResolver,
  AppRequestResolver,
  CredentialsResolver,
  ApiTokenResolver,
  WebhookResolver,
  LifecycleResolver,
] as const;

/** The federation directives the SDL imports. */
const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])`;

/** Entity reference resolvers; each goes through the request's DataLoaders, so references batch (a guard on `_entities` requires a caller). */
const REFERENCE_RESOLVERS = {
  Workspace: resolveWorkspaceReference,
  Member: resolveMemberReference,
  App: resolveAppReference,
  Account: resolveAccountReference,
  Workflow: resolveWorkflowReference,
  Step: resolveStepReference,
} as const;

// Every subscription brings its own `subscribe` (the durable event log), but type-graphql insists
// on a PubSub being configured; this one is never used.
const NO_PUBSUB = {
  publish: () => {
    throw new Error("Subscriptions read the event log; nothing publishes through type-graphql.");
  },
  subscribe: () => {
    throw new Error("Subscriptions read the event log; nothing subscribes through type-graphql.");
  },
};

/** Builds the Federation 2 subgraph schema: type-graphql types, federation entities, guarded `_service`/`_entities`. */
export async function buildSubgraph(): Promise<GraphQLSchema> {
  const typeSchema = await buildSchema({ resolvers: RESOLVERS, validate: false, skipCheck: true, pubSub: NO_PUBSUB });
  const resolvers = createResolversMap(typeSchema) as GraphQLResolverMap<unknown>;
  dropPlainFieldWrappers(resolvers);
  const instances: ResolverInstances = new Map();
  callFieldResolversDirectly(resolvers, instances);
  callRootResolversDirectly(resolvers, instances);
  if (resolvers.DateTimeISO instanceof GraphQLScalarType) resolvers.DateTimeISO = fastDateTimeISO(resolvers.DateTimeISO) as never;
  for (const [typeName, resolveReference] of Object.entries(REFERENCE_RESOLVERS)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), __resolveReference: resolveReference } as never;
  }
  const schema = buildSubgraphSchema({
    typeDefs: gql`
      ${FEDERATION_LINK}
      ${printSchemaWithDirectives(typeSchema)}
    `,
    resolvers,
  });
  // Input rules first, so that the root access guard (wrapped around them) still runs before them.
  guardInputs(schema);
  guardRootFields(schema);
  return schema;
}

/**
 * type-graphql gives every plain property field a resolver whose only job is to run field
 * middlewares and auth checkers before reading `root[property]`. This schema has neither on plain
 * fields (no global middlewares, no authChecker; root guards sit on resolver methods), so the
 * wrapper is pure cost: on an accounts page of 100 rows it runs thousands of times. Without it
 * graphql-js's default resolver reads the same property. A field keeps its wrapper when it has a
 * field resolver, middlewares or roles, or a schema name other than its property's.
 */
function dropPlainFieldWrappers(resolvers: GraphQLResolverMap<unknown>): void {
  const storage = getMetadataStorage();
  for (const objectType of storage.objectTypes) {
    if (objectType.interfaceClasses?.length) continue;
    const fields = resolvers[objectType.name] as Record<string, unknown> | undefined;
    if (!fields) continue;
    for (const field of objectType.fields ?? []) {
      const hasResolver = storage.fieldResolvers.some((r) => r.getObjectType?.() === field.target && r.methodName === field.name);
      if (hasResolver || field.middlewares?.length || field.roles || field.name !== field.schemaName) continue;
      delete fields[field.schemaName];
    }
  }
}

/**
 * The same for field resolver methods (`@FieldResolver` with `@Root()`, `@Ctx()`, `@Info()`
 * only): type-graphql's wrapper builds a resolver-data object, looks the class up in its
 * container, runs an empty middleware chain and sorts the parameter list on every call; on an
 * accounts page that is ~15 calls per row. Here each method is called with its parameters in
 * order, the root converted to the declared class as type-graphql would. A method with arguments,
 * middlewares or roles keeps type-graphql's wrapper (its argument conversion and checks apply).
 */
function callFieldResolversDirectly(resolvers: GraphQLResolverMap<unknown>, instances: ResolverInstances): void {
  const storage = getMetadataStorage();
  for (const meta of storage.fieldResolvers) {
    if (meta.kind !== "external" || meta.middlewares?.length || meta.roles) continue;
    const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
    if (!params.every((p) => (p.kind === "root" || p.kind === "context" || p.kind === "info") && !("propertyName" in p && p.propertyName))) continue;
    const typeName = storage.objectTypes.find((o) => o.target === meta.getObjectType?.())?.name;
    const fields = typeName ? (resolvers[typeName] as Record<string, unknown> | undefined) : undefined;
    if (!fields || typeof fields[meta.schemaName] !== "function") continue;
    fields[meta.schemaName] = directResolver(instances, meta, params.map((p): ParamPick => {
      if (p.kind === "context") return CONTEXT;
      if (p.kind === "info") return INFO;
      const RootType = "getType" in p && p.getType ? (p.getType() as unknown) : undefined;
      return typeof RootType === "function" ? (root) => asInstance(RootType as new () => object, root) : (root) => root;
    }));
  }
}

/**
 * The same for queries and mutations whose parameters are scalar arguments (`@Arg` of an ID,
 * String, Int, Float or Boolean, lists of them included), the context and the info: type-graphql's
 * wrapper only copies such arguments (conversion and validation apply to input classes, and
 * validation is off), so the method is called with `args[name]` in parameter order. Methods taking
 * an input class, `@Args`, the root or custom parameters keep the wrapper. This puts the token
 * fetch over GraphQL (`readAccountCredentials(accountId:)`) one call away from graphql-js.
 */
function callRootResolversDirectly(resolvers: GraphQLResolverMap<unknown>, instances: ResolverInstances): void {
  const storage = getMetadataStorage();
  const isScalarArg = (p: { kind: string; getType?: () => unknown }) => {
    if (p.kind !== "arg" || !p.getType) return false;
    const type = p.getType();
    return type instanceof GraphQLScalarType || type === String || type === Number || type === Boolean;
  };
  for (const [typeName, roots] of [
    ["Query", storage.queries],
    ["Mutation", storage.mutations],
  ] as const) {
    const fields = resolvers[typeName] as Record<string, unknown> | undefined;
    if (!fields) continue;
    for (const meta of roots) {
      if (meta.middlewares?.length || meta.roles || !(RESOLVERS as readonly Function[]).includes(meta.target)) continue;
      const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
      if (!params.every((p) => p.kind === "context" || p.kind === "info" || isScalarArg(p))) continue;
      if (typeof fields[meta.schemaName] !== "function") continue;
      fields[meta.schemaName] = directResolver(instances, meta, params.map((p): ParamPick => {
        if (p.kind === "context") return CONTEXT;
        if (p.kind === "info") return INFO;
        const name = (p as { name: string }).name;
        return (_root, args) => args[name];
      }));
    }
  }
}

/** One instance per resolver class, shared by every method called directly. */
type ResolverInstances = Map<Function, Record<string, unknown>>;
/** How one parameter of a resolver method is taken from graphql-js's resolver arguments. */
type ParamPick = (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => unknown;
const CONTEXT: ParamPick = (_root, _args, context) => context;
const INFO: ParamPick = (_root, _args, _context, info) => info;

// A graphql-js resolver calling the method with its parameters in order (two without an array: the common case).
function directResolver(instances: ResolverInstances, meta: { target: Function; methodName: string }, picks: ParamPick[]) {
  const Target = meta.target as new () => Record<string, unknown>;
  let instance = instances.get(Target);
  if (!instance) instances.set(Target, (instance = new Target()));
  const target = instance;
  const method = target[meta.methodName] as (...values: unknown[]) => unknown;
  if (picks.length === 2) {
    const [first, second] = picks as [ParamPick, ParamPick];
    return (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => method.call(target, first(root, args, context, info), second(root, args, context, info));
  }
  return (root: unknown, args: Record<string, unknown>, context: unknown, info: unknown) => method.apply(target, picks.map((f) => f(root, args, context, info)));
}

/**
 * DateTimeISO as graphql-scalars defines it (same name, description, parsing, errors), with one
 * shortcut: a valid Date, which is every date this service answers, is written as toISOString()
 * directly. The library's serialize checks the value's kind and validity and then converts it;
 * on an accounts page that is two dates per row, measurable on the profile.
 */
function fastDateTimeISO(scalar: GraphQLScalarType): GraphQLScalarType {
  const config = scalar.toConfig();
  const serialize = config.serialize;
  return new GraphQLScalarType({
    ...config,
    serialize: (value: unknown) => (value instanceof Date && value.getTime() === value.getTime() ? value.toISOString() : serialize(value)),
  });
}

// type-graphql's conversion of a root value to its declared class (instances pass as they are).
function asInstance(Target: new () => object, data: unknown): unknown {
  if (data === null || data === undefined || typeof data !== "object" || data instanceof Target) return data;
  const instance = new Target() as Record<string, unknown>;
  for (const key of Object.keys(instance)) if (instance[key] === undefined && !(key in data)) delete instance[key];
  return Object.assign(instance, data);
}

/**
 * Every root field gets the first gate before anything else runs (`checkRootAccess`: a caller, and
 * an API token's scope), subscriptions both when they start and at each event. This includes
 * `_service` and `_entities` from @apollo/subgraph (per-entity authorization then happens in each
 * reference resolver) and any root field a declaration was forgotten on.
 */
function guardRootFields(schema: GraphQLSchema): void {
  const reaches = declaredReaches();
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      const reach = reaches.get(`${type.name}.${field.name}`) ?? "workspace";
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, RequestContext>;
      field.resolve = (source, args, context, info) => {
        checkRootAccess(context, type.name, field.name, reach);
        return resolve(source, args, context, info);
      };
      const subscribe = field.subscribe as GraphQLFieldResolver<unknown, RequestContext> | undefined;
      if (subscribe) {
        field.subscribe = (source, args, context, info) => {
          checkRootAccess(context, type.name, field.name, reach);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
}

/**
 * The declared reach of every root field (`Type.field`), from the resolvers' `@Access`. Federation's
 * `_service` is the same for every caller; `_entities` resolves objects of workspaces, each checked
 * by its reference resolver.
 */
export function declaredReaches(): Map<string, AccessReach> {
  const storage = getMetadataStorage();
  const reaches = new Map<string, AccessReach>([
    ["Query._service", "catalog"],
    ["Query._entities", "workspace"],
  ]);
  const roots = [
    ["Query", storage.queries],
    ["Mutation", storage.mutations],
    ["Subscription", storage.subscriptions],
  ] as const;
  for (const [typeName, list] of roots) {
    for (const root of list) {
      if (!(RESOLVERS as readonly Function[]).includes(root.target)) continue;
      const declaration = declaredAccess(root.target, root.methodName);
      if (declaration) reaches.set(`${typeName}.${root.schemaName}`, declaration.reach);
    }
  }
  return reaches;
}

/** The SDL `_service { sdl }` answers (what a router composes), read through `_service` itself. */
export async function subgraphSdl(schema: GraphQLSchema): Promise<string> {
  const result = await execute({
    schema,
    document: parse("{ _service { sdl } }"),
    contextValue: { principal: { userId: "schema-emitter", displayName: null, email: null, via: "jwt" } },
  });
  const sdl = (result.data as { _service?: { sdl?: string } } | undefined)?._service?.sdl;
  if (!sdl) throw new Error(`_service did not answer: ${JSON.stringify(result.errors)}`);
  return sdl;
}

/** The whole executable schema (with federation's own types), sorted, for codegen and reviewers. */
export function fullSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema));
}
