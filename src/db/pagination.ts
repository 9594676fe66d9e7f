import { badInput } from "../errors/app-error";

/** The largest page a connection serves. */
export const MAX_PAGE_SIZE = 100;
/** The page size when the client does not ask for one. */
export const DEFAULT_PAGE_SIZE = 25;

/** Where a page ends and whether more follow (the GraphQL PageInfo's shape). */
export interface PageEnd {
  /** Pass as `after` to get the next page. */
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Opaque cursor for a sort key (a tuple of strings). */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** Decodes a cursor made by encodeCursor; a forged or stale one is BAD_USER_INPUT. */
export function decodeCursor(cursor: string, arity: number): string[] {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((part) => typeof part === "string")) return key;
  } catch {
    // fall through
  }
  throw badInput("The cursor is not valid.", "after");
}

/** Validates the page size. */
export function pageSizeOf(first: number | undefined | null): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, "first");
  }
  return first;
}

/** Pages through an in-memory list already sorted by `keyOf` (ascending, unique). */
export function paginateSorted<T>(
  items: readonly T[],
  keyOf: (item: T) => string[],
  arity: number,
  page: { first?: number | null; after?: string | null },
): { nodes: T[]; pageInfo: PageEnd; totalCount: number } {
  const size = pageSizeOf(page.first);
  let start = 0;
  if (page.after) {
    const after = decodeCursor(page.after, arity);
    const compare = (item: T) => compareKeys(keyOf(item), after);
    start = items.findIndex((item) => compare(item) > 0);
    if (start === -1) start = items.length;
  }
  const nodes = items.slice(start, start + size);
  const last = nodes[nodes.length - 1];
  return {
    nodes,
    totalCount: items.length,
    pageInfo: { endCursor: last ? encodeCursor(keyOf(last)) : null, hasNextPage: start + size < items.length },
  };
}

/** Orders sort keys the way paginateSorted pages them. */
export function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? "";
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
