/**
 * Validation of the worst documents of GRAPHQL_MAX_BODY_BYTES (issue 12): what the service does
 * with a document before anything runs, and before it knows who is asking, which is parsing under
 * the token cap and validating with `operationRules` at the service's defaults. Against
 * graphql-js's own rules (`specifiedRules`, parse without a cap) on the same document, in process,
 * in alternating rounds; CPU per document from `process.cpuUsage()`. Each document is the worst
 * of its kind for one limit: it fills the body, or fills the token cap and is padded to the body
 * size with whitespace, the one filler no cap counts.
 */
import { Lexer, parse, Source, specifiedRules, TokenKind, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from "graphql";
import { loadConfig } from "../../src/config";
import { asLimitError, measureOperation, parseOperation } from "../../src/graphql/limits";
import { operationRules } from "../../src/graphql/operation-cache";
import { buildSubgraph } from "../../src/graphql/schema";
import { fmt, median, ownCpu, type BenchOptions, type Row, type ScenarioReport } from "../lib";

// The ratio goal: the limits (caps, walk) add at most this to graphql-js's own validation.
const GOAL = 1.2;

interface Verdict {
  /** "valid", or the code and message of the first error. */
  text: string;
  refused: boolean;
}

interface Doc {
  name: string;
  text: string;
  /** What the service must answer (the smoke run fails on anything else): a substring of the verdict. */
  expect: string;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Repeats `unit` between `head` and `tail` up to `bytes`, then pads with spaces to exactly `bytes`. */
function fill(head: string, unit: (i: number) => string, tail: string, bytes: number, maxUnits = Infinity): string {
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; i < maxUnits; i++) {
    const next = unit(i);
    if (next === "" || size + next.length > bytes) break;
    parts.push(next);
    size += next.length;
  }
  parts.push(tail);
  const text = parts.join("");
  return text + " ".repeat(Math.max(0, bytes - text.length));
}

/** Fragments each spreading the previous one twice, as many levels as fit in `bytes` (at most `maxLevels`), padded to `bytes`. */
function doubling(bytes: number, maxLevels = Infinity): string {
  const fragments = ["fragment F0 on Viewer { userId }"];
  let size = fragments[0]!.length + 40; // the operation, written last
  for (let i = 0; i < maxLevels; i++) {
    const next = ` fragment F${i + 1} on Viewer { ...F${i} ...F${i} }`;
    if (size + next.length > bytes) break;
    fragments.push(next);
    size += next.length;
  }
  const text = `query { viewer { ...F${fragments.length - 1} } } ${fragments.join("")}`;
  return text + " ".repeat(Math.max(0, bytes - text.length));
}

/** Lexical tokens of a text, as graphql-js's lexer counts them (comments aside). */
function tokensOf(text: string): number {
  const lexer = new Lexer(new Source(text));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // not lexable: count what was
  }
  return count;
}

/** Fields nested `levels` deep through a chain that exists in the schema (viewer → workspaces → members → workspace → …). */
function nested(levels: number): string {
  const names = ["viewer", "workspaces", ...range(Math.max(0, levels - 2)).map((i) => (i % 2 === 0 ? "members" : "workspace"))].slice(0, levels);
  return `{ ${names.join(" { ")} ${levels === 1 ? "{ userId }" : "{ id }"}${" }".repeat(levels - 1)} }`;
}

/** The most field levels graphql-js's recursive parser gets through here (deeper: stack overflow). */
function deepestParsable(): number {
  let low = 1;
  let high = 100_000;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      parse(nested(mid));
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  return low;
}

/** The worst document of each kind, `bytes` long (the JSON body around it aside). */
function worstDocuments(bytes: number, maxTokens: number): Doc[] {
  // Fragment doubling: 15 tokens and 10 a level, so this many levels fit under the token cap.
  const levelsUnderCap = Math.floor((maxTokens - 15) / 10);
  const deepest = deepestParsable();
  let nestedUnderCap = 1;
  while (tokensOf(nested(nestedUnderCap + 1)) <= maxTokens) nestedUnderCap += 1;
  const pad = (text: string) => text + " ".repeat(Math.max(0, bytes - text.length));
  return [
    { name: "fragment doubling, filling the body", text: doubling(bytes), expect: "more than" },
    { name: `fragment doubling, ${levelsUnderCap} levels (the token cap), padded`, text: doubling(bytes, levelsUnderCap), expect: "estimated cost" },
    { name: "`aN: __typename` aliases, filling the body", text: fill("{ viewer {", (i) => ` a${i}: __typename`, " } }", bytes), expect: "more than" },
    { name: "directives on one field, filling the body", text: fill("{ viewer { userId", () => " @include(if: true)", " } }", bytes), expect: "more than" },
    { name: `field nesting, ${fmt(deepest)} levels (the deepest graphql-js parses), padded`, text: pad(nested(deepest)), expect: tokensOf(nested(deepest)) > maxTokens ? "more than" : "levels deep" },
    { name: `field nesting, ${nestedUnderCap} levels (the token cap), padded`, text: pad(nested(nestedUnderCap)), expect: "levels deep" },
    { name: "one field repeated to the token cap (graphql-js's merge check), padded", text: pad(`{ viewer {${" userId".repeat(maxTokens - 5)} } }`), expect: "too complex to validate" },
    { name: "one string argument filling the body (within every limit)", text: `{ apps(search: "${"x".repeat(bytes - 40)}") { totalCount } }`, expect: "valid" },
  ];
}

function verdictOf(errors: readonly GraphQLError[] | Error): Verdict {
  if (errors instanceof Error) return { text: `${errors.name}: ${errors.message.slice(0, 120)}`, refused: true };
  if (errors.length === 0) return { text: "valid", refused: false };
  const first = errors[0]!;
  return { text: `${String(first.extensions.code ?? "GRAPHQL_VALIDATION_FAILED")}: ${first.message.slice(0, 120)}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ""}`, refused: true };
}

export async function validation(options: BenchOptions): Promise<ScenarioReport> {
  const graphql = { ...loadConfig({}).graphql, introspection: false };
  // The smoke run exercises every path on smaller documents.
  const bytes = options.smoke ? 64 * 1024 : graphql.maxBodyBytes;
  const schema: GraphQLSchema = await buildSubgraph();
  const rules = operationRules(graphql);

  // The service's path (the operation cache's, without the cache): parse under the cap, validate.
  const ours = (text: string): Verdict => {
    let document: DocumentNode;
    try {
      document = parseOperation(text, graphql);
    } catch (error) {
      return verdictOf([asLimitError(error as GraphQLError)]);
    }
    return verdictOf(validate(schema, document, rules).map(asLimitError));
  };
  // graphql-js alone: parse without a cap, its own rules.
  const plain = (text: string): Verdict => {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch (error) {
      return verdictOf(error as Error);
    }
    return verdictOf(validate(schema, document, specifiedRules));
  };

  // CPU µs per call: as many calls as fit in the budget (one in the smoke run).
  const budget = options.smoke ? 0 : 300;
  const timed = (run: () => Verdict): { us: number; verdict: Verdict } => {
    const c0 = ownCpu();
    const until = Date.now() + budget;
    let calls = 0;
    let verdict: Verdict;
    do {
      verdict = run();
      calls += 1;
    } while (Date.now() < until);
    return { us: ((ownCpu() - c0) / calls) * 1e6, verdict };
  };

  const rows: Row[] = [];
  const scenario = `validation of the worst document of GRAPHQL_MAX_BODY_BYTES (${fmt(bytes)} B)`;
  for (const doc of worstDocuments(bytes, graphql.maxTokens)) {
    const verdict = ours(doc.text);
    const matches = doc.expect === "valid" ? !verdict.refused : verdict.refused && verdict.text.startsWith("QUERY_TOO_COMPLEX") && verdict.text.includes(doc.expect);
    if (!matches) throw new Error(`validation: ${doc.name}: expected ${doc.expect}, got ${verdict.text}`);
    // Warm both paths, then alternate which goes first.
    ours(doc.text);
    const baselineVerdict = plain(doc.text);
    const oursUs: number[] = [];
    const plainUs: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? [true, false] : [false, true];
      const figures: Record<string, number> = {};
      for (const isOurs of order) figures[isOurs ? "ours" : "plain"] = timed(() => (isOurs ? ours(doc.text) : plain(doc.text))).us;
      oursUs.push(figures.ours!);
      plainUs.push(figures.plain!);
      ratios.push(figures.ours! / figures.plain!);
    }
    const ratio = median(ratios);
    let walked = "";
    try {
      const measure = measureOperation(parseOperation(doc.text, graphql), graphql);
      walked = `; the limits walk visited ${fmt(measure.visited)} nodes`;
    } catch {
      // refused while parsing: no walk
    }
    rows.push({
      scenario,
      case: doc.name,
      service: `${fmt(median(oursUs))} µs CPU`,
      baseline: `${fmt(median(plainUs))} µs CPU (graphql-js: parse, specifiedRules)`,
      ratio,
      goal: `≤ ${GOAL.toFixed(1)}× graphql-js's own rules; ${doc.expect === "valid" ? "accepted" : "QUERY_TOO_COMPLEX"}`,
      met: ratio <= GOAL && matches,
      detail: `${fmt(tokensOf(doc.text))} tokens; service: ${verdict.text}${walked}; graphql-js alone: ${baselineVerdict.text}`,
    });
  }
  return {
    rows,
    notes: [
      `Validation: in process, ${options.rounds} alternating rounds, ${budget} ms of calls per figure; the service's defaults (GRAPHQL_MAX_TOKENS ${graphql.maxTokens}, depth ${graphql.maxDepth}, aliases ${graphql.maxAliases}, cost ${graphql.maxCost}, directives ${graphql.maxDirectives} per field). ` +
        "Over HTTP a refused document is parsed and validated twice (the direct path, then Apollo, which writes error responses).",
    ],
  };
}
