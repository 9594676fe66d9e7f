import type { ApolloServerPlugin } from "@apollo/server";
import { metrics, secondsSince } from "../observability/metrics";
import { activeSpan } from "../observability/tracing";

/**
 * Records one GraphQL operation for metrics and names the active span after it (`query Account`),
 * whichever door it came in by: the direct path, Apollo, or graphql-ws. The span gets the name and
 * type only (OpenTelemetry's graphql.operation.*), never the document or the variables.
 */
export function observeOperation(name: string | null | undefined, type: string | undefined, outcome: string, start: number): void {
  metrics.graphqlOperation(name, type, outcome, secondsSince(start));
  const span = activeSpan();
  if (!span) return;
  span.updateName(name ? `${type ?? "operation"} ${name}` : (type ?? "graphql"));
  if (name) span.setAttribute("graphql.operation.name", name);
  if (type) span.setAttribute("graphql.operation.type", type);
  span.setAttribute("graphql.outcome", outcome);
}

/** The same for what Apollo answers (parse and validation errors, GET, batches, traces). */
export function operationObserverPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      const start = performance.now();
      return {
        async willSendResponse(request) {
          const body = request.response.body;
          const errors = body.kind === "single" ? body.singleResult.errors : undefined;
          const code = errors?.[0]?.extensions?.code;
          const outcome = errors?.length ? (typeof code === "string" ? code : "INTERNAL") : "OK";
          observeOperation(request.operationName ?? request.operation?.name?.value, request.operation?.operation, outcome, start);
        },
      };
    },
  };
}
