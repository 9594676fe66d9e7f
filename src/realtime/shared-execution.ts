import {
  Kind,
  createSourceEventStream,
  execute,
  getOperationAST,
  visit,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
} from "graphql";
import { FeedSubscription } from "./event-feed";
import type { PreparedOperation } from "../graphql/operation-cache";

/**
 * The variables of a subscription operation that can change the result of executing one event:
 * all of them, except those used only in the root fields' arguments. Those arguments choose
 * which events the stream yields (the subscribe resolver); the root fields of this schema
 * resolve to the event itself, so for one event every subscriber with the same selection gets
 * the same result whatever its cursor, workspace or filters.
 */
export function resultVariablesOf(prepared: PreparedOperation, operationName: string | undefined): readonly string[] {
  const known = prepared.resultVariables.get(operationName);
  if (known) return known;
  const operation = getOperationAST(prepared.document, operationName);
  const used = new Set<string>();
  if (operation) {
    const rootArguments = new Set(operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? (s.arguments ?? []) : [])));
    let inRootArgument = 0;
    visit(operation, {
      Argument: {
        enter: (node) => void (rootArguments.has(node) && inRootArgument++),
        leave: (node) => void (rootArguments.has(node) && inRootArgument--),
      },
      Variable: (node, _key, parent) => {
        if (inRootArgument === 0 && (parent as { kind?: string } | undefined)?.kind !== Kind.VARIABLE_DEFINITION) used.add(node.name.value);
      },
    });
    // Fragments spread into the operation may use variables too.
    for (const definition of prepared.document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition, { Variable: (node) => void used.add(node.name.value) });
    }
  }
  const variables = [...used].sort();
  prepared.resultVariables.set(operationName, variables);
  return variables;
}

/** What a subscriber's result depends on besides the event: operation, result-changing variables, and its access class. */
export function resultGroupOf(prepared: PreparedOperation, operationName: string | undefined, variables: Record<string, unknown> | null | undefined, accessClass: string): string {
  const resultVariables = resultVariablesOf(prepared, operationName);
  const values = resultVariables.length ? JSON.stringify(resultVariables.map((name) => variables?.[name] ?? null)) : "";
  return `${prepared.id}:${accessClass}:${operationName ?? ""}:${values}`;
}

/** How many times live events were executed in this process (diagnostics; tests check sharing with it). */
export const sharedExecutionStats = { executions: 0 };

/**
 * Where one subscription's events go: its result group, and how to send a `next` payload (JSON) to
 * its client. `sendNext` answers "full" when the client has too much unsent: the feed then takes
 * the subscription out of delivery until `resume` is called (when the client has drained).
 */
export interface SubscriptionTarget {
  group: string;
  sendNext(payloadJson: string, resume: () => void): void | "full";
}

/** What a result looks like on the wire: its errors in their client form (codes, safe messages). */
export type ResultFormatter = (result: ExecutionResult) => { errors?: readonly unknown[]; data?: unknown; extensions?: unknown };

/**
 * graphql-ws's `subscribe`, executing each live event once for all subscribers in the same result
 * group instead of once per subscriber (10k subscribers of one workspace usually send the same
 * operation), and serializing that result once: each subscriber's frame is then its id around the
 * shared payload, sent straight from the feed. Execution uses the first subscriber's arguments
 * and context, which is sound because subscribers in one group differ in nothing the execution
 * reads. Results are kept per event object only while the feed holds that event.
 */
export function sharedSubscribe(targetOf: (args: ExecutionArgs) => SubscriptionTarget, format: ResultFormatter) {
  // The `next` payload as graphql-ws would write it after onNext formatted it.
  const payloadJsonOf = (result: ExecutionResult): string => JSON.stringify(format(result));
  const payloads = new WeakMap<object, Map<string, string | PromiseLike<string>>>();
  return async (args: ExecutionArgs): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(stream instanceof FeedSubscription)) {
      if (Symbol.asyncIterator in stream) return mapEach(stream as AsyncIterable<unknown>, (payload) => execute({ ...args, rootValue: payload }));
      return stream as ExecutionResult;
    }
    const target = targetOf(args);
    const { group } = target;
    const resume = () => stream.resume();
    return stream.deliverDirectly(
      (event) => {
        let byGroup = payloads.get(event);
        if (!byGroup) payloads.set(event, (byGroup = new Map()));
        let payload = byGroup.get(group);
        if (payload === undefined) {
          sharedExecutionStats.executions++;
          const result = execute({ ...args, rootValue: event });
          if (isPromiseLike(result)) {
            const settled = (json: string) => (byGroup.set(group, json), json);
            payload = Promise.resolve(result).then(
              (r) => settled(payloadJsonOf(r)),
              (error: unknown) => settled(payloadJsonOf({ errors: [toGraphQLError(error)] })),
            );
          } else {
            payload = payloadJsonOf(result);
          }
          byGroup.set(group, payload);
        }
        return typeof payload === "string" ? undefined : payload;
      },
      (event) => target.sendNext(payloads.get(event)!.get(group) as string, resume),
    );
  };
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === "function";
}

// A failed execution: formatted like any unexpected error (INTERNAL, generic message, logged).
function toGraphQLError(error: unknown): GraphQLError {
  return new GraphQLError("Internal server error", { originalError: error instanceof Error ? error : undefined });
}

async function* mapEach<T, R>(source: AsyncIterable<T>, fn: (value: T) => R | Promise<R>): AsyncGenerator<Awaited<R>> {
  for await (const value of source) yield await fn(value);
}
