import fs from "node:fs";
import path from "node:path";

/**
 * The names of the operations committed under operations/ (those the browser client and the
 * reference page send): the GraphQL operation names that get a metrics label of their own.
 * Anything else a client names its operation collapses to `other`, so a label never carries
 * what a caller typed.
 */
export function committedOperationNames(start: string = __dirname): string[] {
  const dir = findOperationsDir(start);
  if (!dir) return [];
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith(".graphql")) continue;
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    for (const match of text.matchAll(/^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/gm)) names.add(match[1]!);
  }
  return [...names].sort();
}

// operations/ next to src/ (ts-node) or dist/ (compiled); none in a build shipped without it.
function findOperationsDir(start: string): string | null {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, "operations");
    if (fs.existsSync(path.join(candidate, "accounts.graphql"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
