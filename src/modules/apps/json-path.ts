const SELECTOR = /^([^[\]]*)\[([A-Za-z0-9_$@-]+)=([^[\]]*)\]$/;

/**
 * Reads a dot path out of a JSON value: "team.id", "items.0.name", and, to pick from a list by
 * content rather than position, "accounts[is_default=true].account_id" (the first element whose
 * field, as text, equals the value).
 */
export function readPath(value: unknown, path: string): string | null {
  let current: unknown = value;
  for (const part of path.split(".")) {
    const selector = SELECTOR.exec(part);
    if (current === null || typeof current !== "object") return null;
    if (!selector) {
      current = (current as Record<string, unknown>)[part];
      continue;
    }
    const [, key, field, wanted] = selector as unknown as [string, string, string, string];
    const list = key ? (current as Record<string, unknown>)[key] : current;
    if (!Array.isArray(list)) return null;
    current = list.find((item) => item !== null && typeof item === "object" && String((item as Record<string, unknown>)[field]) === wanted);
  }
  return typeof current === "string" || typeof current === "number" ? String(current) : null;
}
