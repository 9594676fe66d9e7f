import fs from "node:fs";
import path from "node:path";
import { GraphQLError, Kind, parse, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type SelectionSetNode, type ValueNode } from "graphql";
import { loadConfig } from "../src/config";
import { measureOperation, parseLimits, type QueryLimits } from "../src/graphql/limits";
import { OperationCache, operationRules } from "../src/graphql/operation-cache";
import { buildSubgraph } from "../src/graphql/schema";
import { codesOf } from "./support/graphql-client";
import { startTestService, type TestService } from "./support/test-service";
import { Subscriber } from "./support/ws-client";

// The issue: a 1 KB document whose fragments each spread the previous one twice kept the event
// loop busy for ~20 s (2^26 re-walks), before authentication. The limits must cost time linear in
// the document. These tests count the work (nodes the walk visits) against the document's size;
// none asserts on a timing.

/** The service's defaults (as in production). */
const DEFAULTS = loadConfig({}).graphql;
const UNLIMITED: QueryLimits = { maxDepth: Infinity, maxAliases: Infinity, maxCost: Infinity, maxTokens: Infinity, maxDirectives: Infinity };

/** Every AST node of a document. */
function nodesOf(document: DocumentNode): number {
  let count = 0;
  visit(document, { enter: () => void (count += 1) });
  return count;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Each fragment spreads the previous one twice: 2^n fields from O(n) text (the issue's document). */
const doubling = (n: number) =>
  `query { viewer { ...F${n} } } fragment F0 on Viewer { userId } ${range(n)
    .map((i) => `fragment F${i + 1} on Viewer { ...F${i} ...F${i} }`)
    .join(" ")}`;

// The same mistake in other shapes: doubling through nested fields (depth grows too), through
// inline fragments with directives, with aliases at every level, and under a page size.
const FAMILIES: Record<string, (n: number) => string> = {
  "fragment doubling": doubling,
  "doubling through nested fields": (n) =>
    `query { viewer { workspaces { ...W${n} } } } fragment W0 on Workspace { id } ${range(n)
      .map((i) => `fragment W${i + 1} on Workspace { members { workspace { ...W${i} ...W${i} } } }`)
      .join(" ")}`,
  "doubling through inline fragments with directives": (n) =>
    `query { viewer { ...F${n} } } fragment F0 on Viewer { userId } ${range(n)
      .map((i) => `fragment F${i + 1} on Viewer { ... on Viewer { ...F${i} } ... @include(if: true) { ...F${i} @skip(if: false) } }`)
      .join(" ")}`,
  "aliases at every level, each fragment spreading all earlier ones": (n) =>
    `query { viewer { ...F${n} } } fragment F0 on Viewer { a0: userId } ${range(n)
      .map((i) => `fragment F${i + 1} on Viewer { a${i + 1}: __typename ${range(i + 1).map((j) => `...F${j}`).join(" ")} }`)
      .join(" ")}`,
  "doubling under a page size": (n) =>
    `query { apps(page: { first: 3 }) { ...C${n} } } fragment C0 on AppConnection { totalCount } ${range(n)
      .map((i) => `fragment C${i + 1} on AppConnection { nodes { __typename } ...C${i} ...C${i} }`)
      .join(" ")}`,
};

// A reference that walks fragments inline at every spread, as the old rule did (exponential: only
// for small documents), with the same rules of counting. The linear walk must agree with it.
function naive(document: DocumentNode): { depth: number; aliases: number; cost: number; directives: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const pageSize = (field: { arguments?: readonly { name: { value: string }; value: ValueNode }[] }) => {
    for (const arg of field.arguments ?? []) {
      const entries = arg.value.kind === Kind.OBJECT ? arg.value.fields.map((f) => [f.name.value, f.value] as const) : [[arg.name.value, arg.value] as const];
      for (const [name, value] of entries) if ((name === "first" || name === "last") && value.kind === Kind.INT) return Math.max(1, Number(value.value));
    }
    return 1;
  };
  const walk = (set: SelectionSetNode, multiplier: number, seen: Set<string>) => {
    const total = { depth: 0, aliases: 0, cost: 0, directives: 0 };
    for (const s of set.selections) {
      total.directives = Math.max(total.directives, s.directives?.length ?? 0);
      let inner = { depth: 0, aliases: 0, cost: 0, directives: 0 };
      if (s.kind === Kind.FIELD) {
        total.aliases += s.alias ? 1 : 0;
        total.cost += multiplier;
        const child = s.selectionSet ? walk(s.selectionSet, multiplier * pageSize(s), seen) : inner;
        const introspection = s.name.value === "__schema" || s.name.value === "__type";
        inner = { ...child, depth: 1 + (introspection ? 0 : child.depth) };
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        inner = walk(s.selectionSet, multiplier, seen);
      } else if (fragments.has(s.name.value) && !seen.has(s.name.value)) {
        const fragment = fragments.get(s.name.value)!;
        inner = walk(fragment.selectionSet, multiplier, new Set([...seen, s.name.value]));
        inner.directives = Math.max(inner.directives, fragment.directives?.length ?? 0);
      }
      total.depth = Math.max(total.depth, inner.depth);
      total.aliases += inner.aliases;
      total.cost += inner.cost;
      total.directives = Math.max(total.directives, inner.directives);
    }
    return total;
  };
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  return walk(operation.selectionSet, 1, new Set());
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSubgraph();
});

const validateWith = (text: string, limits = DEFAULTS) => {
  const prepared = new OperationCache(schema, operationRules(limits), limits).prepare(text);
  return Array.isArray(prepared) ? (prepared as GraphQLError[]) : [];
};
const codes = (errors: readonly GraphQLError[]) => errors.map((e) => e.extensions.code ?? "GRAPHQL_VALIDATION_FAILED");

describe("the limits walk costs time linear in the document", () => {
  it.each(Object.entries(FAMILIES))("%s: nodes visited never exceed the document's nodes, from 5 to 30 levels", (_name, family) => {
    for (let n = 5; n <= 30; n++) {
      const document = parse(family(n));
      const measure = measureOperation(document, UNLIMITED);
      expect(measure.exceeded).toBeUndefined();
      expect({ n, visited: measure.visited }).toEqual({ n, visited: expect.any(Number) });
      expect(measure.visited).toBeLessThanOrEqual(nodesOf(document));
      // ...while what it measures grows as 2^n: the documents are the exponential ones.
      expect(measure.cost).toBeGreaterThanOrEqual(2 ** n);
    }
  });

  it.each(Object.entries(FAMILIES))("%s: counts what walking every spread would count", (_name, family) => {
    for (let n = 0; n <= 8; n++) {
      const document = parse(family(n));
      const { depth, aliases, cost, directives } = measureOperation(document, UNLIMITED);
      expect({ n, depth, aliases, cost, directives }).toEqual({ n, ...naive(document) });
    }
  });

  it("refuses the issue's document, F26, on its cost, and F200 the same way", () => {
    for (const n of [26, 200]) {
      const errors = validateWith(doubling(n));
      expect(codes(errors)).toEqual(["QUERY_TOO_COMPLEX"]);
      expect(errors[0]!.message).toMatch(/estimated cost is at least \d+; the limit is 5000\./);
      expect(measureOperation(parse(doubling(n)), DEFAULTS).visited).toBeLessThanOrEqual(nodesOf(parse(doubling(n))));
    }
  });

  it("stops at the first limit passed, whatever follows", () => {
    const aliases = parse(`{ viewer { ${range(20_000).map((i) => `a${i}: __typename`).join(" ")} } }`);
    const byAliases = measureOperation(aliases, DEFAULTS);
    expect(byAliases.exceeded).toBe(`The query uses at least ${DEFAULTS.maxAliases + 1} aliases; the limit is ${DEFAULTS.maxAliases}.`);
    expect(byAliases.visited).toBeLessThanOrEqual(DEFAULTS.maxAliases + 3);

    const deep = parse(`{ viewer ${"{ workspaces { members { workspace ".repeat(100)}{ id }${" } } }".repeat(100)} }`);
    const byDepth = measureOperation(deep, DEFAULTS);
    expect(byDepth.exceeded).toMatch(/at least 13 levels deep; the limit is 12/);
    expect(byDepth.visited).toBeLessThanOrEqual(DEFAULTS.maxDepth + 2);

    const costly = parse(`{ apps(page: { first: 100 }) { nodes { ${"slug name ".repeat(5000)} } } }`);
    const byCost = measureOperation(costly, DEFAULTS);
    expect(byCost.exceeded).toMatch(/estimated cost is at least 5001; the limit is 5000/);
    expect(byCost.visited).toBeLessThanOrEqual(60);
  });

  it("reports a fragment cycle with graphql-js's own error, and terminates on a cycle closed around a doubling", () => {
    const cycle = validateWith("query { viewer { ...A } } fragment A on Viewer { userId ...B } fragment B on Viewer { ...A }");
    expect(cycle.map((e) => e.message)).toContain('Cannot spread fragment "A" within itself via "B".');
    expect(codes(cycle)).not.toContain("QUERY_TOO_COMPLEX");
    const closed = doubling(30).replace("fragment F0 on Viewer { userId }", "fragment F0 on Viewer { userId ...F30 }");
    const errors = validateWith(closed, { ...DEFAULTS, maxCost: 1_000_000 });
    expect(errors.some((e) => /^Cannot spread fragment "F\d+" within itself via/.test(e.message))).toBe(true);
    expect(measureOperation(parse(closed), UNLIMITED).visited).toBeLessThanOrEqual(nodesOf(parse(closed)));
  });
});

describe("what the limits count", () => {
  it("counts aliases of __typename and other __ fields", () => {
    const aliased = (n: number) => `{ viewer { ${range(n).map((i) => `t${i}: __typename`).join(" ")} } }`;
    expect(validateWith(aliased(DEFAULTS.maxAliases))).toEqual([]);
    expect(codes(validateWith(aliased(DEFAULTS.maxAliases + 1)))).toEqual(["QUERY_TOO_COMPLEX"]);
    // Through a fragment spread twice, its aliases count twice.
    const half = Math.ceil((DEFAULTS.maxAliases + 1) / 2);
    const spread = `{ viewer { ...T } __typename ... on Query { ...Q } } fragment T on Viewer { ${range(half).map((i) => `t${i}: __typename`).join(" ")} } fragment Q on Query { viewer { ...T } }`;
    expect(measureOperation(parse(spread), UNLIMITED).aliases).toBe(2 * half);
    expect(codes(validateWith(spread))).toEqual(["QUERY_TOO_COMPLEX"]);
  });

  it("counts __typename in cost like any field, and exempts only introspection's nesting from depth", () => {
    expect(measureOperation(parse("{ apps(page: { first: 100 }) { nodes { __typename } } }"), UNLIMITED).cost).toBe(1 + 100 * 2);
    const introspection = measureOperation(parse(`{ __schema { types { fields { type ${"{ ofType ".repeat(9)}{ name }${" }".repeat(9)} } } } }`), DEFAULTS);
    expect(introspection).toMatchObject({ depth: 1, cost: 14, exceeded: undefined });
    // Introspection's nesting is bounded by graphql-js (MaxIntrospectionDepthRule), where it is on.
    const withIntrospection = { ...DEFAULTS, introspection: true };
    expect(validateWith("{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }", withIntrospection).map((e) => e.message)).toEqual([
      "Maximum introspection depth exceeded",
    ]);
  });

  it("caps directives per field, fragment spread, inline fragment, fragment and operation", () => {
    const limits = { ...DEFAULTS, maxDirectives: 1 };
    const two = "@include(if: true) @skip(if: false)";
    for (const [where, text] of [
      ["field", `{ viewer { userId ${two} } }`],
      ["fragment spread", `{ viewer { ...V ${two} } } fragment V on Viewer { userId }`],
      ["inline fragment", `{ viewer { ... on Viewer ${two} { userId } } }`],
      ["operation", `query Q @include(if: true) @skip(if: false) { viewer { userId } }`],
    ]) {
      const measure = measureOperation(parse(text!), limits);
      expect({ where, exceeded: measure.exceeded }).toEqual({ where, exceeded: `The query has 2 directives on one ${where}; the limit is 1.` });
    }
    expect(validateWith(`{ viewer { userId @include(if: true) } }`, limits)).toEqual([]);
    expect(codes(validateWith(`{ viewer { userId ${two} } }`, limits))).toEqual(["QUERY_TOO_COMPLEX"]);
    // The default allows both of graphql-js's directives with room to spare; six on one field are refused.
    expect(codes(validateWith(`{ viewer { userId ${"@include(if: true) ".repeat(6)}} }`))).toContain("QUERY_TOO_COMPLEX");
  });
});

describe("the token cap, checked while parsing", () => {
  it("lets every committed operation through at the default", () => {
    const dir = path.join(__dirname, "..", "operations");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".graphql"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(() => parse(fs.readFileSync(path.join(dir, file), "utf8"), parseLimits(DEFAULTS))).not.toThrow();
  });

  it("refuses a document past it, and one past as many comments, as QUERY_TOO_COMPLEX, with the limit named", () => {
    const limits = { ...DEFAULTS, maxTokens: 100 };
    // `{ viewer { userId × n } }` is n + 5 tokens.
    expect(validateWith(`{ viewer { ${"userId ".repeat(95)}} }`, limits)).toEqual([]);
    const over = validateWith(`{ viewer { ${"userId ".repeat(96)}} }`, limits);
    expect(over.map((e) => [e.extensions.code, e.message])).toEqual([["QUERY_TOO_COMPLEX", "The query has more than 100 tokens; the limit is 100."]]);
    const comments = validateWith(`{ viewer { userId } }\n${"# hello\n".repeat(101)}`, limits);
    expect(comments.map((e) => [e.extensions.code, e.message])).toEqual([["QUERY_TOO_COMPLEX", "The query has more than 100 comments; the limit is 100."]]);
  });

  it("answers a document nested too deeply for graphql-js's parser (a raised cap) with QUERY_TOO_COMPLEX", () => {
    const errors = validateWith(`{ viewer { userId } apps(search: ${"[".repeat(30_000)}${"]".repeat(30_000)}) { totalCount } }`, { ...DEFAULTS, maxTokens: 100_000 });
    expect(errors.map((e) => [e.extensions.code, e.message])).toEqual([["QUERY_TOO_COMPLEX", "The query is nested too deeply to parse."]]);
  });

  it("answers graphql-js's own validation budget running out with QUERY_TOO_COMPLEX", () => {
    const errors = validateWith(`{ viewer { ${"userId ".repeat(1000)}} }`);
    expect(errors.map((e) => [e.extensions.code, e.message])).toEqual([["QUERY_TOO_COMPLEX", "The query is too complex to validate."]]);
  });
});

async function overWebSocket(service: TestService, user: string, query: string): Promise<{ errors: string; data: boolean }> {
  const client = new Subscriber(service.url, await service.token(user)).subscribe(query, {});
  try {
    await client.waitFor((c) => c.errors.length > 0 || c.events.length > 0);
    return { errors: JSON.stringify(client.errors), data: client.events.length > 0 };
  } finally {
    await client.close();
  }
}

describe("over HTTP and graphql-ws, in production mode with the default limits", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ NODE_ENV: "production", ENCRYPTION_KEYS: "k1:" + Buffer.alloc(32, 7).toString("base64"), GRAPHQL_INTROSPECTION: "false" });
  });
  afterAll(async () => {
    await service?.close();
  });

  // Before the fix each of these blocked the event loop for ~20 s (the test timed out).
  it("refuses the issue's F26 document over HTTP, with a token and without", async () => {
    const result = await service.call("alice", doubling(26));
    expect(result.status).toBe(400);
    expect(codesOf(result)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(result.errors?.[0]?.message).toMatch(/estimated cost/);
    // Without a token: refused on its cost, or as unauthenticated where anonymous requests are
    // turned away before parsing; either way at once.
    const anonymous = await service.call(null, doubling(26));
    expect([400, 401]).toContain(anonymous.status);
    expect(["QUERY_TOO_COMPLEX", "UNAUTHENTICATED"]).toContain(codesOf(anonymous)[0]);
  }, 10_000);

  it("refuses it over graphql-ws", async () => {
    const answer = await overWebSocket(service, "alice", doubling(26));
    expect(answer.errors).toContain("QUERY_TOO_COMPLEX");
    expect(answer.errors).toMatch(/estimated cost/);
  }, 10_000);

  it("refuses a document past the token cap on every path with the same code and message", async () => {
    const over = `{ viewer { ${"userId ".repeat(DEFAULTS.maxTokens - 4)}} }`;
    const http = await service.call("alice", over);
    expect(codesOf(http)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(http.errors?.[0]?.message).toBe(`The query has more than ${DEFAULTS.maxTokens} tokens; the limit is ${DEFAULTS.maxTokens}.`);
    const ws = await overWebSocket(service, "alice", over);
    expect(ws.errors).toContain("QUERY_TOO_COMPLEX");
    expect(ws.errors).toContain(`The query has more than ${DEFAULTS.maxTokens} tokens`);
  });

  it("answers graphql-js's validation budget running out with QUERY_TOO_COMPLEX on both", async () => {
    const heavy = `{ viewer { ${"userId ".repeat(1000)}} }`;
    const http = await service.call("alice", heavy);
    expect(codesOf(http)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(http.errors?.[0]?.message).toBe("The query is too complex to validate.");
    expect((await overWebSocket(service, "alice", heavy)).errors).toContain("QUERY_TOO_COMPLEX");
  });
});

describe("over HTTP and graphql-ws, with small limits", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ GRAPHQL_MAX_TOKENS: "100", GRAPHQL_MAX_DIRECTIVES: "1", GRAPHQL_MAX_ALIASES: "3" });
  });
  afterAll(async () => {
    await service?.close();
  });

  const cases: Array<[string, string, string, RegExp]> = [
    ["the token cap", `{ viewer { ${"userId ".repeat(95)}} }`, `{ viewer { ${"userId ".repeat(96)}} }`, /more than 100 tokens; the limit is 100\./],
    ["the directive cap", "{ viewer { userId @include(if: true) } }", "{ viewer { userId @include(if: true) @skip(if: false) } }", /2 directives on one field; the limit is 1\./],
    ["the alias limit on __typename", "{ viewer { a: __typename b: __typename c: __typename } }", "{ viewer { a: __typename b: __typename c: __typename d: __typename } }", /at least 4 aliases; the limit is 3\./],
  ];

  it.each(cases)("%s: just under is answered, just over is refused with QUERY_TOO_COMPLEX, over HTTP", async (_name, under, over, message) => {
    const ok = await service.call("alice", under);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ viewer: expect.any(Object) });
    const refused = await service.call("alice", over);
    expect(codesOf(refused)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(refused.errors?.[0]?.message).toMatch(message);
  });

  it.each(cases)("%s: the same over graphql-ws", async (_name, under, over, message) => {
    expect(await overWebSocket(service, "alice", under)).toEqual({ errors: "[]", data: true });
    const refused = await overWebSocket(service, "alice", over);
    expect(refused.errors).toContain("QUERY_TOO_COMPLEX");
    expect(refused.errors).toMatch(message);
  });

  it("reports a fragment cycle with the standard error", async () => {
    const result = await service.call("alice", "query { viewer { ...A } } fragment A on Viewer { userId ...B } fragment B on Viewer { ...A }");
    expect(codesOf(result)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(result.errors?.[0]?.message).toBe('Cannot spread fragment "A" within itself via "B".');
  });
});

describe("with the token cap raised past what graphql-js's parser can nest", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ GRAPHQL_MAX_TOKENS: "100000" });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("answers a document too deeply nested to parse with QUERY_TOO_COMPLEX over HTTP and graphql-ws", async () => {
    const deep = `{ apps(search: ${"[".repeat(30_000)}${"]".repeat(30_000)}) { totalCount } }`;
    const http = await service.call("alice", deep);
    expect(codesOf(http)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(http.errors?.[0]?.message).toBe("The query is nested too deeply to parse.");
    const ws = await overWebSocket(service, "alice", deep);
    expect(ws.errors).toContain("QUERY_TOO_COMPLEX");
    expect(ws.errors).toContain("The query is nested too deeply to parse.");
  });
});
