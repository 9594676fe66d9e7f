import type { IncomingHttpHeaders } from "node:http";
import { execute, getOperationAST, GraphQLError, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from "graphql";
import type { QueryLimits } from "./limits";
import { OperationCache } from "./operation-cache";

/** A response the direct path produced. */
export interface DirectResponse {
  status: number;
  contentType: string;
  body: string;
  /** For metrics and traces: the operation that ran, and OK or the first error's code. */
  operationName: string | undefined;
  operationType: string;
  outcome: string;
}

type ErrorFormatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * Executes well-formed GraphQL POSTs straight on graphql-js, with parsed and validated documents
 * cached by their text; everything else goes to Apollo Server (which stays in charge of the
 * protocol's edges). Why: Apollo's per-request pipeline (hashing, plugin hooks, content
 * negotiation, result re-ordering) costs more than executing the token fetch itself (STACK.md
 * measured ~220 µs per request under Apollo Server against ~130 µs with a cached graphql-js
 * handler).
 *
 * The direct path answers only what it answers exactly as Apollo would: a JSON body with a
 * string `query` (no `extensions`, so no persisted queries), a query or mutation that parses and
 * validates under the same rules, a client that accepts plain JSON, no inline-trace request from
 * a router, and an execution that got as far as running the operation. Anything else (parse or
 * validation errors, bad variables, batched bodies, subscriptions, GET, traces) returns null and
 * Apollo produces the answer, so error responses have one author.
 */
export class DirectExecutor {
  // The same bounded cache of parsed and validated operations graphql-ws uses (LRU, long texts not kept).
  private readonly operations: OperationCache;

  constructor(
    private readonly schema: GraphQLSchema,
    /** The same rules Apollo validates with (`operationRules`). */
    rules: readonly ValidationRule[],
    /** The same token cap Apollo parses with (`parseLimits`). */
    limits: Pick<QueryLimits, "maxTokens">,
    private readonly formatError: ErrorFormatter,
  ) {
    this.operations = new OperationCache(schema, rules, limits);
  }

  /** The response to a POST body, or null when Apollo must answer it. */
  async execute(body: unknown, headers: IncomingHttpHeaders, contextValue: () => unknown): Promise<DirectResponse | null> {
    if (!isPlainObject(body) || typeof body.query !== "string") return null;
    if (body.extensions !== undefined && body.extensions !== null) return null;
    const variables = body.variables ?? undefined;
    if (variables !== undefined && !isPlainObject(variables)) return null;
    const operationName = body.operationName ?? undefined;
    if (operationName !== undefined && typeof operationName !== "string") return null;
    if (headers["apollo-federation-include-trace"] !== undefined) return null;
    const accept = headers.accept;
    if (accept !== undefined && accept !== "*/*" && accept !== "application/json") return null;

    const prepared = this.operations.prepare(body.query);
    // Parse or validation errors: Apollo reports them (with its codes and schema-hint policy).
    if (Array.isArray(prepared)) return null;
    const document = (prepared as Exclude<typeof prepared, readonly GraphQLError[]>).document;
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation === "subscription") return null;

    const result = await execute({ schema: this.schema, document, variableValues: variables, operationName, contextValue: contextValue() });
    // No `data` at all: the request failed before running (variable coercion). Nothing ran, so
    // Apollo can answer it with its own error response.
    if (!("data" in result)) return null;
    const response: Record<string, unknown> = {};
    if (result.errors) response.errors = result.errors.map((error) => this.format(error));
    response.data = result.data;
    if (result.extensions) response.extensions = result.extensions;
    const errors = response.errors as GraphQLFormattedError[] | undefined;
    const code = errors?.[0]?.extensions?.code;
    return {
      status: 200,
      contentType: JSON_CONTENT_TYPE,
      body: JSON.stringify(response) + "\n",
      operationName: operation.name?.value,
      operationType: operation.operation,
      outcome: errors?.length ? (typeof code === "string" ? code : "INTERNAL") : "OK",
    };
  }

  // As Apollo does: the error's JSON, a code defaulting to INTERNAL_SERVER_ERROR, then formatError.
  private format(error: GraphQLError): GraphQLFormattedError {
    const json = error.toJSON();
    const formatted: GraphQLFormattedError = { ...json, extensions: { ...json.extensions, code: json.extensions?.code ?? "INTERNAL_SERVER_ERROR" } };
    try {
      return this.formatError(formatted, error);
    } catch {
      return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
