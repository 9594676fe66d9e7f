import { AppError } from "../errors/app-error";
import {
  GraphQLError,
  Kind,
  parse,
  type ArgumentNode,
  type ASTVisitor,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from "graphql";

/** Bounds on the shape of an operation, applied alike to HTTP and WebSocket operations. */
export interface QueryLimits {
  /** Deepest field nesting (introspection's `__schema`/`__type` subtrees excepted: graphql-js bounds those). */
  maxDepth: number;
  /** Aliases per operation, fragments counted at every spread, `__typename` included. */
  maxAliases: number;
  /** Fields per operation, each multiplied by the page sizes above it. */
  maxCost: number;
  /** Lexical tokens per document, and comments per document, counted while parsing. */
  maxTokens: number;
  /** Directives on one field (or fragment spread, inline fragment, fragment, operation, variable). */
  maxDirectives: number;
}

// Page size assumed for a `first`/`last` given as a variable (validation runs before variables
// are known): the largest page any connection serves.
const VARIABLE_PAGE_SIZE = 100;

/** A limit error: QUERY_TOO_COMPLEX on every path (Apollo, the direct path, graphql-ws). */
function tooComplex(message: string, parseError?: GraphQLError): GraphQLError {
  return new GraphQLError(message, {
    source: parseError?.source,
    positions: parseError?.positions,
    originalError: new AppError("QUERY_TOO_COMPLEX", message),
    // Also in the error itself: graphql-ws copies extensions, not the original error.
    extensions: { code: "QUERY_TOO_COMPLEX" },
  });
}

/** graphql-js parse options that enforce the token cap (comments are capped alike: the lexer keeps each one). */
export function parseLimits(limits: Pick<QueryLimits, "maxTokens">): ParseOptions {
  return { maxLexicalTokens: limits.maxTokens, maxComments: limits.maxTokens };
}

// graphql-js's own wording (16.x says "more that"), and its work budget in validation.
const PARSE_CAP = /^Syntax Error: Document contains more tha[nt] (\d+) (tokens|comments)\. Parsing aborted\.$/;
const VALIDATION_ABORTED = "Validation aborted.";

/**
 * A graphql-js parse or validation error that is really a limit (the token or comment cap, the
 * parser running out of stack on deep nesting, graphql-js's validation work budget), as the
 * QUERY_TOO_COMPLEX error it is; undefined for any other error. Apollo reports these as
 * GRAPHQL_PARSE_FAILED/GRAPHQL_VALIDATION_FAILED: the error formatter maps them with this, so
 * every path gives the same code and message.
 */
export function limitErrorOf(error: unknown, stage: "parse" | "validate"): AppError | undefined {
  for (let cause: unknown = error; cause instanceof Error; cause = cause instanceof GraphQLError ? cause.originalError : undefined) {
    if (cause instanceof AppError) return cause.code === "QUERY_TOO_COMPLEX" ? cause : undefined;
    if (stage === "parse") {
      const cap = PARSE_CAP.exec(cause.message);
      if (cap) return new AppError("QUERY_TOO_COMPLEX", `The query has more than ${cap[1]} ${cap[2]}; the limit is ${cap[1]}.`);
      // graphql-js's parser is recursive: nesting deep enough exhausts the stack (raise GRAPHQL_MAX_TOKENS past ~4,000 and it can).
      if (cause instanceof RangeError) return new AppError("QUERY_TOO_COMPLEX", "The query is nested too deeply to parse.");
    } else if (cause.message === VALIDATION_ABORTED) {
      return new AppError("QUERY_TOO_COMPLEX", "The query is too complex to validate.");
    }
  }
  return undefined;
}

/** Parses a document under the token cap; one past it (or nested too deeply to parse) is refused as QUERY_TOO_COMPLEX. */
export function parseOperation(text: string, limits: Pick<QueryLimits, "maxTokens">): DocumentNode {
  try {
    return parse(text, parseLimits(limits));
  } catch (error) {
    const limit = limitErrorOf(error, "parse");
    if (limit) throw tooComplex(limit.message, error instanceof GraphQLError ? error : undefined);
    throw error;
  }
}

/** A validation error that is a limit (see `limitErrorOf`) as QUERY_TOO_COMPLEX; any other error unchanged. */
export function asLimitError(error: GraphQLError): GraphQLError {
  if (error.extensions.code === "QUERY_TOO_COMPLEX") return error;
  const limit = limitErrorOf(error, "validate");
  return limit ? tooComplex(limit.message) : error;
}

/** What measuring an operation found. When a limit was passed the walk stopped there, and the figures are what it had counted by then. */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  /** The most directives on one node. */
  directives: number;
  /** AST nodes the walk looked at: the work it took, which tests hold against the document's size. */
  visited: number;
  /** The first limit passed, as the client's message; undefined when the operation is within every limit. */
  exceeded?: string;
}

// A selection set's (or fragment's) own figures, as if it stood at the root: depth, aliases and
// directives do not depend on where it is spread, and cost scales with the page sizes above it.
interface Measure {
  depth: number;
  aliases: number;
  cost: number;
  directives: number;
}

const NOTHING: Measure = Object.freeze({ depth: 0, aliases: 0, cost: 0, directives: 0 });

// Thrown inside the walk to stop it at the first limit passed.
class LimitPassed {
  constructor(readonly message: string) {}
}

/**
 * Measures the operations of one document in time linear in its size: each fragment is walked
 * once and its figures reused at every other spread (the walk used to re-walk a fragment at each
 * spread, so a chain of fragments each spreading the previous one twice cost 2^n), and the walk
 * stops as soon as a limit is passed. Running totals against the limits are kept on the way, so a
 * query far over a limit is refused after a few nodes.
 */
class LimitWalk {
  /** Nodes looked at so far, over every operation measured with this walk. */
  visited = 0;
  // Per fragment: its figures once walked; null while it is being walked (met again: a cycle).
  private readonly memo = new Map<string, Measure | null>();
  // The current operation's running totals.
  private deepest = 0;
  private aliases = 0;
  private cost = 0;
  private mostDirectives = 0;

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly limits: QueryLimits,
  ) {}

  measure(operation: OperationDefinitionNode): OperationMeasure {
    const started = this.visited;
    this.deepest = this.aliases = this.cost = this.mostDirectives = 0;
    let exceeded: string | undefined;
    try {
      this.visited += 1;
      this.checkDirectives(operation.directives, "operation");
      for (const variable of operation.variableDefinitions ?? []) {
        this.visited += 1;
        this.checkDirectives(variable.directives, "variable");
      }
      this.selectionSet(operation.selectionSet, 0, 1, true);
    } catch (error) {
      if (!(error instanceof LimitPassed)) throw error;
      exceeded = error.message;
      // Fragments cut off half-walked are not figures to reuse.
      for (const [name, measure] of this.memo) if (measure === null) this.memo.delete(name);
    }
    return { depth: this.deepest, aliases: this.aliases, cost: this.cost, directives: this.mostDirectives, visited: this.visited - started, exceeded };
  }

  // `level`: fields above this selection set; `multiplier`: the product of their page sizes;
  // `countsDepth`: false inside introspection. Returns the set's own figures (multiplier 1).
  private selectionSet(set: SelectionSetNode, level: number, multiplier: number, countsDepth: boolean): Measure {
    const own = { depth: 0, aliases: 0, cost: 0, directives: 0 };
    for (const selection of set.selections) {
      this.visited += 1;
      let inner: Measure;
      if (selection.kind === Kind.FIELD) {
        own.directives = Math.max(own.directives, this.checkDirectives(selection.directives, "field"));
        if (selection.alias) {
          own.aliases += 1;
          this.addAliases(1);
        }
        own.cost += 1;
        this.addCost(multiplier);
        // Introspection's depth is bounded by graphql-js (MaxIntrospectionDepthRule), and the
        // standard introspection query is 15 levels deep; its fields count for aliases and cost.
        const introspection = selection.name.value === "__schema" || selection.name.value === "__type";
        if (countsDepth) this.reach(level + 1);
        if (selection.selectionSet) {
          const size = this.pageSize(selection.arguments ?? []);
          const child = this.selectionSet(selection.selectionSet, level + 1, multiplier * size, countsDepth && !introspection);
          inner = { depth: 1 + (introspection ? 0 : child.depth), aliases: child.aliases, cost: child.cost === 0 ? 0 : size * child.cost, directives: child.directives };
        } else {
          inner = { depth: 1, aliases: 0, cost: 0, directives: 0 };
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        own.directives = Math.max(own.directives, this.checkDirectives(selection.directives, "inline fragment"));
        inner = this.selectionSet(selection.selectionSet, level, multiplier, countsDepth);
      } else {
        own.directives = Math.max(own.directives, this.checkDirectives(selection.directives, "fragment spread"));
        inner = this.fragment(selection.name.value, level, multiplier, countsDepth);
      }
      own.depth = Math.max(own.depth, inner.depth);
      own.aliases += inner.aliases;
      own.cost += inner.cost;
      own.directives = Math.max(own.directives, inner.directives);
    }
    return own;
  }

  private fragment(name: string, level: number, multiplier: number, countsDepth: boolean): Measure {
    const known = this.memo.get(name);
    // Being walked: a cycle, which graphql-js's NoFragmentCyclesRule reports.
    if (known === null) return NOTHING;
    if (known) {
      if (countsDepth) this.reach(level + known.depth);
      this.addAliases(known.aliases);
      this.addCost(known.cost * multiplier);
      this.mostDirectives = Math.max(this.mostDirectives, known.directives);
      return known;
    }
    const fragment = this.fragments.get(name);
    // Unknown: graphql-js's KnownFragmentNamesRule reports it.
    if (!fragment) return NOTHING;
    this.memo.set(name, null);
    this.visited += 1;
    const directives = this.checkDirectives(fragment.directives, "fragment");
    const measure = this.selectionSet(fragment.selectionSet, level, multiplier, countsDepth);
    measure.directives = Math.max(measure.directives, directives);
    this.memo.set(name, measure);
    return measure;
  }

  private reach(level: number): void {
    if (level > this.deepest) this.deepest = level;
    if (level > this.limits.maxDepth) throw new LimitPassed(`The query is at least ${level} levels deep; the limit is ${this.limits.maxDepth}.`);
  }

  private addAliases(count: number): void {
    this.aliases += count;
    if (this.aliases > this.limits.maxAliases) throw new LimitPassed(`The query uses at least ${this.aliases} aliases; the limit is ${this.limits.maxAliases}.`);
  }

  private addCost(cost: number): void {
    this.cost += cost;
    if (this.cost > this.limits.maxCost) throw new LimitPassed(`The query's estimated cost is at least ${this.cost}; the limit is ${this.limits.maxCost}.`);
  }

  private checkDirectives(directives: readonly DirectiveNode[] | undefined, where: string): number {
    const count = directives?.length ?? 0;
    if (count > this.mostDirectives) this.mostDirectives = count;
    if (count > this.limits.maxDirectives) throw new LimitPassed(`The query has ${count} directives on one ${where}; the limit is ${this.limits.maxDirectives}.`);
    return count;
  }

  // The page size a field asks for: `first`/`last` as an argument or inside an input object
  // argument (`page: { first: 50 }`), or given wholesale as a variable.
  private pageSize(args: readonly ArgumentNode[]): number {
    for (const arg of args) {
      this.visited += 1;
      if (arg.value.kind === Kind.OBJECT) {
        for (const field of arg.value.fields) {
          this.visited += 1;
          const size = sizeOf(field.name.value, field.value);
          if (size !== undefined) return size;
        }
      } else if (arg.value.kind === Kind.VARIABLE && arg.name.value === "page") {
        return VARIABLE_PAGE_SIZE;
      } else {
        const size = sizeOf(arg.name.value, arg.value);
        if (size !== undefined) return size;
      }
    }
    return 1;
  }
}

function sizeOf(name: string, value: ValueNode): number | undefined {
  if (name !== "first" && name !== "last") return undefined;
  if (value.kind === Kind.INT) return Math.max(1, Number(value.value));
  if (value.kind === Kind.VARIABLE) return VARIABLE_PAGE_SIZE;
  return undefined;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    // The first of a name, as graphql-js's getFragment keeps (UniqueFragmentNamesRule reports the others).
    if (definition.kind === Kind.FRAGMENT_DEFINITION && !fragments.has(definition.name.value)) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/**
 * Measures one operation of a document (the named one, or the first) as `queryLimitsRule` does,
 * with the number of nodes the walk looked at.
 */
export function measureOperation(document: DocumentNode, limits: QueryLimits, operationName?: string): OperationMeasure {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || d.name?.value === operationName),
  );
  if (!operation) throw new Error(`no operation ${operationName ?? ""} in the document`);
  return new LimitWalk(fragmentsOf(document), limits).measure(operation);
}

/**
 * A validation rule enforcing the depth, alias, cost and directive limits (the token cap is
 * enforced while parsing: `parseLimits`). Cost counts every field, `__typename` included,
 * multiplied by the page size (`first`/`last`) of each paginated field above it. Time is linear in
 * the document: each fragment is measured once, and the walk stops at the first limit passed.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    let walk: LimitWalk | undefined;
    return {
      OperationDefinition(node) {
        // One walk per document: fragments measured for one operation are reused by the next.
        walk ??= new LimitWalk(fragmentsOf(context.getDocument()), limits);
        const measure = walk.measure(node);
        if (measure.exceeded) context.reportError(tooComplex(measure.exceeded));
        return false;
      },
    };
  };
}
