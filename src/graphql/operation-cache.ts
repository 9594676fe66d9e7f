import { GraphQLError, NoSchemaIntrospectionCustomRule, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from "graphql";
import type { Config } from "../config";
import { asLimitError, parseOperation, queryLimitsRule, type QueryLimits } from "./limits";

/**
 * The rules every operation is validated with, whichever door it comes in by (HTTP, graphql-ws):
 * graphql-js's, no introspection unless it is on, then the depth, alias, cost and directive
 * limits. Documents are parsed under the token cap (`parseOperation`). (Apollo, which answers the
 * HTTP requests the direct path hands it, is configured with the same pieces.)
 */
export function operationRules(graphql: Config["graphql"]): ValidationRule[] {
  return [...specifiedRules, ...(graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule]), queryLimitsRule(graphql)];
}

/** A validation message without graphql-js's "Did you mean …?" hints (production: the schema is not public). */
export function withoutSchemaHints(message: string): string {
  return message.replace(/ ?Did you mean(.+?)\?$/, "");
}

/** A parsed and validated operation, shared by every subscription that sent the same text. */
export interface PreparedOperation {
  /** Names the operation text in result groups (cheaper to keep than the text). */
  id: number;
  document: DocumentNode;
  /** Per operation name: the variables that can change a result (not only choosing the stream). */
  resultVariables: Map<string | undefined, readonly string[]>;
}

// Texts above this are parsed each time rather than kept: the cache stays small whatever clients send.
const MAX_CACHED_QUERY = 16 * 1024;
const MAX_CACHED_OPERATIONS = 200;

/**
 * Parse + validate once per distinct operation text (thousands of subscribers send the same
 * few). Bounded, least recently used out first; validation is deterministic for a fixed schema
 * and rule set, so a cached verdict (errors included) is the verdict.
 */
export class OperationCache {
  private readonly entries = new Map<string, PreparedOperation | readonly GraphQLError[]>();
  private readonly byDocument = new WeakMap<DocumentNode, PreparedOperation>();
  private nextId = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    /** The token cap every document is parsed under. */
    private readonly limits: Pick<QueryLimits, "maxTokens">,
  ) {}

  prepare(query: string): PreparedOperation | readonly GraphQLError[] {
    const hit = this.entries.get(query);
    if (hit) {
      this.entries.delete(query);
      this.entries.set(query, hit);
      return hit;
    }
    let prepared: PreparedOperation | readonly GraphQLError[];
    try {
      const document = parseOperation(query, this.limits);
      const errors = validate(this.schema, document, this.rules);
      prepared = errors.length > 0 ? errors.map(asLimitError) : { id: ++this.nextId, document, resultVariables: new Map() };
      if (!Array.isArray(prepared)) this.byDocument.set(document, prepared as PreparedOperation);
    } catch (error) {
      prepared = [error as GraphQLError];
    }
    if (query.length <= MAX_CACHED_QUERY) {
      this.entries.set(query, prepared);
      if (this.entries.size > MAX_CACHED_OPERATIONS) this.entries.delete(this.entries.keys().next().value!);
    }
    return prepared;
  }

  /** The prepared operation a document came from (undefined: not prepared here). */
  preparedOf(document: DocumentNode): PreparedOperation | undefined {
    return this.byDocument.get(document);
  }
}

