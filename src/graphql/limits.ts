import { AppError } from "../errors/app-error";
import {
  GraphQLError,
  Kind,
  type ArgumentNode,
  type ValueNode,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";

/** Bounds on the shape of an operation, applied alike to HTTP and WebSocket operations. */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

// Page size assumed for a `first`/`last` given as a variable (validation runs before variables
// are known): the largest page any connection serves.
const VARIABLE_PAGE_SIZE = 100;

function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { originalError: new AppError("QUERY_TOO_COMPLEX", message) });
}

interface Measure {
  depth: number;
  aliases: number;
  cost: number;
}

// The page size a field asks for: `first`/`last` as an argument or inside an input object
// argument (`page: { first: 50 }`), or given wholesale as a variable.
function pageSize(args: readonly ArgumentNode[]): number {
  for (const arg of args) {
    if (arg.value.kind === Kind.OBJECT) {
      for (const field of arg.value.fields) {
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

function sizeOf(name: string, value: ValueNode): number | undefined {
  if (name !== "first" && name !== "last") return undefined;
  if (value.kind === Kind.INT) return Math.max(1, Number(value.value));
  if (value.kind === Kind.VARIABLE) return VARIABLE_PAGE_SIZE;
  return undefined;
}

// Walks a selection set with fragments inlined. `seen` guards against fragment cycles, which the
// standard rules report on their own, since all rules run in the same pass.
function measure(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  multiplier: number,
  seen: Set<string>,
): Measure {
  const total: Measure = { depth: 0, aliases: 0, cost: 0 };
  for (const selection of selectionSet.selections) {
    let inner: Measure | undefined;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue;
      if (selection.alias) total.aliases += 1;
      total.cost += multiplier;
      if (selection.selectionSet) {
        inner = measure(selection.selectionSet, fragments, multiplier * pageSize(selection.arguments ?? []), seen);
        inner.depth += 1;
      } else {
        inner = { depth: 1, aliases: 0, cost: 0 };
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      inner = measure(selection.selectionSet, fragments, multiplier, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments[name];
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      inner = measure(fragment.selectionSet, fragments, multiplier, seen);
      seen.delete(name);
    }
    total.depth = Math.max(total.depth, inner.depth);
    total.aliases += inner.aliases;
    total.cost += inner.cost;
  }
  return total;
}

/**
 * A validation rule enforcing depth, alias and cost limits. Cost counts every field, multiplied
 * by the page size (`first`/`last`) of each paginated field above it.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    return {
      OperationDefinition(node) {
        const m = measure(node.selectionSet, fragments, 1, new Set());
        if (m.depth > limits.maxDepth) {
          context.reportError(tooComplex(`The query is ${m.depth} levels deep; the limit is ${limits.maxDepth}.`));
        }
        if (m.aliases > limits.maxAliases) {
          context.reportError(tooComplex(`The query uses ${m.aliases} aliases; the limit is ${limits.maxAliases}.`));
        }
        if (m.cost > limits.maxCost) {
          context.reportError(tooComplex(`The query's estimated cost is ${m.cost}; the limit is ${limits.maxCost}.`));
        }
      },
    };
  };
}
