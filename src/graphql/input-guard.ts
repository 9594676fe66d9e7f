import {
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { badInput } from "../errors/app-error";
import { INPUT_RULES, type InputRule } from "./input-rules";
import { checkJsonBounds } from "../validation/json";
import { checkText } from "../validation/text";

/** The kind of rule a scalar input needs. */
export type RuleKind = "int" | "text" | "json";

/** Scalars whose values the rules constrain; IDs, Booleans, enums and dates need no rule. */
const RULED_SCALARS: Readonly<Record<string, RuleKind>> = {
  Int: "int",
  Float: "int",
  String: "text",
  JSONObject: "json",
  _Any: "json",
};

// Until a rule is declared (a test insists on one), a new input still gets the strictest safe default.
const DEFAULTS: Record<RuleKind, InputRule> = {
  int: { int: { min: 0 } },
  text: { text: "text" },
  json: { json: { maxDepth: 32, maxBytes: 64 * 1024 } },
};

/** Which kind of rule a scalar input of this type needs, or null when it needs none. */
export function ruleKindOf(type: GraphQLInputType): RuleKind | null {
  const named = getNamedType(type);
  return isScalarType(named) ? (RULED_SCALARS[named.name] ?? null) : null;
}

/** Every argument and input field of the schema holding a scalar that needs a rule, by schema coordinate. */
export function ruledInputCoordinates(schema: GraphQLSchema): Map<string, RuleKind> {
  const coordinates = new Map<string, RuleKind>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__")) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) {
          const kind = ruleKindOf(arg.type);
          if (kind) coordinates.set(`${type.name}.${field.name}(${arg.name}:)`, kind);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const kind = ruleKindOf(field.type);
        if (kind) coordinates.set(`${type.name}.${field.name}`, kind);
      }
    }
  }
  return coordinates;
}

/** Checks a value at a path ("accounts[2].nickname"); throws BAD_USER_INPUT naming that path. */
type Check = (value: unknown, path: string) => void;

function checkScalar(rule: InputRule): Check | null {
  if ("int" in rule) {
    const { min, max } = rule.int;
    return (value, path) => {
      if (typeof value !== "number") return;
      if (value < min || (max !== undefined && value > max)) {
        throw badInput(max === undefined ? `${path} must be at least ${min}.` : `${path} must be between ${min} and ${max}.`, path);
      }
    };
  }
  if ("text" in rule) {
    const kind = rule.text;
    return (value, path) => {
      if (typeof value === "string") checkText(value, path, kind);
    };
  }
  if ("json" in rule) {
    const bounds = rule.json;
    return (value, path) => {
      if (value !== null && value !== undefined) checkJsonBounds(value, path, bounds);
    };
  }
  return null;
}

const join = (path: string, name: string) => (path ? `${path}.${name}` : name);

/**
 * The check of a value of `type` whose scalar rule (if any) is the one of `coordinate`; null when
 * nothing in it is constrained. Input object types are planned once each (`plans`).
 */
function checkOf(type: GraphQLInputType, coordinate: string, plans: Map<string, Check | null>): Check | null {
  if (isNonNullType(type)) return checkOf(type.ofType, coordinate, plans);
  if (isListType(type)) {
    const item = checkOf(type.ofType as GraphQLInputType, coordinate, plans);
    if (!item) return null;
    return (value, path) => {
      if (!Array.isArray(value)) return item(value, path);
      value.forEach((element, index) => item(element, `${path}[${index}]`));
    };
  }
  if (isInputObjectType(type)) {
    if (plans.has(type.name)) return plans.get(type.name)!;
    // A recursive input type refers to its own plan, complete by the time it runs.
    plans.set(type.name, (value, path) => plans.get(type.name)?.(value, path));
    const fields = Object.values(type.getFields())
      .map((field) => [field.name, checkOf(field.type, `${type.name}.${field.name}`, plans)] as const)
      .filter((entry): entry is readonly [string, Check] => entry[1] !== null);
    const check: Check | null = fields.length
      ? (value, path) => {
          if (value === null || typeof value !== "object") return;
          for (const [name, fieldCheck] of fields) {
            const item = (value as Record<string, unknown>)[name];
            if (item !== undefined && item !== null) fieldCheck(item, join(path, name));
          }
        }
      : null;
    plans.set(type.name, check);
    return check;
  }
  const kind = ruleKindOf(type);
  return kind ? checkScalar(INPUT_RULES[coordinate] ?? DEFAULTS[kind]) : null;
}

/**
 * Puts the input rules (`INPUT_RULES`) in front of every field that takes a constrained
 * argument: root fields (for subscriptions, where they start), and fields of objects such as
 * `Step.runs(first:)`. A value that breaks a rule is refused with BAD_USER_INPUT naming it
 * (`details.field`: the argument, or the path inside an `input` object) before the resolver runs,
 * so nothing changes. Fields without constrained arguments are left as they are, at no cost.
 * Apply it before the root access guard, so that the access check still comes first.
 */
export function guardInputs(schema: GraphQLSchema): void {
  const plans = new Map<string, Check | null>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    for (const field of Object.values(type.getFields())) {
      const checks = field.args
        .map((arg) => [arg.name, checkOf(arg.type, `${type.name}.${field.name}(${arg.name}:)`, plans)] as const)
        .filter((entry): entry is readonly [string, Check] => entry[1] !== null);
      if (checks.length === 0) continue;
      const checkArgs = (args: Record<string, unknown>) => {
        for (const [name, check] of checks) {
          const value = args[name];
          // An `input` object's fields are named as they are, the way services name them.
          if (value !== undefined && value !== null) check(value, name === "input" ? "" : name);
        }
      };
      if (field.subscribe) {
        const subscribe = field.subscribe as GraphQLFieldResolver<unknown, unknown>;
        field.subscribe = (source, args, context, info) => {
          checkArgs(args);
          return subscribe(source, args, context, info);
        };
        continue;
      }
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, unknown>;
      field.resolve = (source, args, context, info) => {
        checkArgs(args);
        return resolve(source, args, context, info);
      };
    }
  }
}
