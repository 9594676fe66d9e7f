import { badInput } from "../errors/app-error";

/** How deep and how large a JSON value may be. */
export interface JsonBounds {
  /** Levels of nested objects and arrays; the value itself is level 1. */
  maxDepth: number;
  /** Bytes of its JSON text (UTF-8). */
  maxBytes: number;
  /** A flat object whose values are all strings (headers, query parameters). */
  stringValues?: boolean;
}

/**
 * The nesting depth of a JSON-like value (objects and arrays; a scalar is 0), measured without
 * recursion and without looking past `limit` levels: a value 100,000 levels deep costs as much as
 * one `limit` deep.
 */
export function jsonDepth(value: unknown, limit = Number.MAX_SAFE_INTEGER): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (depth > limit) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === "object") pending.push([child, depth + 1]);
    }
  }
  return deepest;
}

// A JSON string (skipped whole) or a bracket.
const JSON_TOKENS = /"(?:[^"\\]|\\.)*"|[[\]{}]/g;

/**
 * The nesting depth of JSON text, counted over its brackets (strings skipped) without parsing it,
 * and without looking past `limit` levels. Decides whether an app's answer is safe to parse and
 * keep as a value: JSON.parse copes with any depth, but JSON.stringify and GraphQL's serializer
 * recurse, and a few thousand levels exhaust the stack.
 */
export function jsonTextDepth(text: string, limit = Number.MAX_SAFE_INTEGER): number {
  let depth = 0;
  let deepest = 0;
  JSON_TOKENS.lastIndex = 0;
  for (let match = JSON_TOKENS.exec(text); match; match = JSON_TOKENS.exec(text)) {
    const token = match[0];
    if (token === "{" || token === "[") {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) break;
    } else if (token === "}" || token === "]") {
      depth--;
    }
  }
  return deepest;
}

/**
 * Refuses (BAD_USER_INPUT naming `field`) a JSON value nested deeper or larger than its bounds, or,
 * for `stringValues`, one that is not a flat object of strings. Depth is checked first, so that
 * measuring the size never recurses into a value that is too deep.
 */
export function checkJsonBounds(value: unknown, field: string, bounds: JsonBounds): void {
  if (bounds.stringValues) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw badInput(`${field} must be an object of strings.`, field);
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== "string") throw badInput(`${field}.${name.slice(0, 60)} must be a string.`, field);
    }
  }
  const depth = jsonDepth(value, bounds.maxDepth);
  if (depth > bounds.maxDepth) throw badInput(`${field} is nested more than ${bounds.maxDepth} levels deep.`, field);
  if (Buffer.byteLength(JSON.stringify(value) ?? "") > bounds.maxBytes) throw badInput(`${field} is larger than ${bounds.maxBytes} bytes.`, field);
}
