/**
 * The monitoring in deploy/ (deploy/README.md) and its documentation (docs/observability.md) match
 * the metrics the service serves (src/observability/metrics.ts): every metric an alert or a
 * dashboard panel reads exists in the registry, with the labels and label values it selects and
 * groups by; every alert has its runbook section; and every metric of the service is on the
 * dashboard and in the docs' table, so a new one cannot be forgotten.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { enableMetrics, metrics, type CredentialReadOutcome, type DeadlineKind, type ProviderCallKind, type RefreshOutcome } from "../src/observability/metrics";

const ROOT = path.resolve(__dirname, "..");
const RULES_FILE = "deploy/prometheus/alerts.yml";
const DASHBOARD_FILE = "deploy/grafana/connected-accounts.json";
const DOCS_FILE = "docs/observability.md";

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The label sets the registry is built with (a small catalog: anything else counts as `other`). */
const LABEL_SETS = {
  apps: ["github"],
  operations: [],
  codes: ["INTERNAL"],
  healthStates: ["HEALTHY", "DEGRADED", "NEEDS_RECONNECT", "CLIENT_MISCONFIGURED"],
  eventKinds: ["ACCOUNT_AUTH_FAILED"],
};

// Every value of the recorder's closed unions: tsc fails here when metrics.ts adds one.
const REFRESH_OUTCOMES = Object.keys({
  ok: 1,
  invalid_grant: 1,
  invalid_client: 1,
  rejected: 1,
  timeout: 1,
  unreachable: 1,
  "5xx": 1,
  "429": 1,
  malformed: 1,
  interrupted: 1,
} satisfies Record<RefreshOutcome, 1>) as RefreshOutcome[];
const PROVIDER_CALL_KINDS = Object.keys({ exchange: 1, refresh: 1, identity: 1, revocation: 1, request: 1, check: 1, learn: 1 } satisfies Record<ProviderCallKind, 1>) as ProviderCallKind[];
const CREDENTIAL_READ_OUTCOMES = Object.keys({ fresh: 1, refreshed: 1, refused: 1 } satisfies Record<CredentialReadOutcome, 1>) as CredentialReadOutcome[];
const DEADLINE_KINDS = Object.keys({ query: 1, acquire: 1 } satisfies Record<DeadlineKind, 1>) as DeadlineKind[];
/** One status of each class, and no answer at all. */
const STATUSES = [101, 200, 302, 404, 503];

/** Labels every scraped series has, or a histogram's buckets have. */
const TARGET_LABELS = ["instance", "job"];
/** What an expression may name: the service's metrics and prom-client's default ones. */
const METRIC_NAME = /\b(ca_[a-z0-9_]+|process_[a-z0-9_]+|nodejs_[a-z0-9_]+)\b/g;

interface Metric {
  name: string;
  type: string;
  labels: string[];
  /** Label values seen after recording every closed value through `metrics` (below). */
  values: Map<string, Set<string>>;
}

interface AlertRule {
  alert?: unknown;
  record?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: { severity?: unknown };
  annotations?: { summary?: unknown; description?: unknown; runbook_url?: unknown };
}

interface Panel {
  id?: number;
  type: string;
  title?: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr?: string; legendFormat?: string }>;
  panels?: Panel[];
}

interface Dashboard {
  schemaVersion: number;
  __inputs?: Array<{ name: string; type: string; pluginId: string }>;
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
  panels: Panel[];
}

/** One expression to check, and where it comes from (for the failure messages). */
interface Expression {
  where: string;
  expr: string;
  legend?: string;
}

let registryMetrics: Map<string, Metric>;

beforeAll(async () => {
  const registry = enableMetrics(LABEL_SETS, {});
  // Give the scrape-time collectors something to report, then record every closed value once, so
  // that the registry shows which label values exist.
  enableMetrics(LABEL_SETS, { pool: () => ({ inUse: 1, idle: 1, waiting: 0, max: 10 }), auditQueueDepth: () => 0, accountsByHealth: () => new Map() });
  for (const type of ["query", "mutation", "subscription", undefined]) {
    for (const outcome of ["OK", ...LABEL_SETS.codes, "NOT_A_CODE"]) metrics.graphqlOperation("probe", type, outcome, 0.01);
  }
  for (const status of STATUSES) {
    metrics.httpRequest("/graphql", "POST", status, 0.01);
    metrics.accountRequest("github", status);
  }
  metrics.accountRequest("not-an-app", null);
  for (const outcome of CREDENTIAL_READ_OUTCOMES) metrics.credentialRead("github", outcome);
  for (const outcome of REFRESH_OUTCOMES) metrics.refresh("github", outcome);
  for (const kind of PROVIDER_CALL_KINDS) for (const ok of [true, false]) metrics.providerCall("github", kind, ok, 0.1);
  for (const state of [...LABEL_SETS.healthStates, "NOT_A_STATE"]) metrics.healthChanged(state, "github");
  for (const kind of [...LABEL_SETS.eventKinds, "NOT_A_KIND"]) {
    metrics.alertRaised(kind);
    metrics.eventsAppended(kind);
  }
  for (const kind of DEADLINE_KINDS) metrics.databaseDeadline(kind);

  registryMetrics = new Map();
  for (const metric of await registry.getMetricsAsJSON()) {
    const labelNames = (registry.getSingleMetric(metric.name) as unknown as { labelNames?: readonly string[] }).labelNames ?? [];
    const values = new Map<string, Set<string>>();
    for (const value of metric.values) {
      for (const [label, v] of Object.entries(value.labels)) {
        if (!values.has(label)) values.set(label, new Set());
        values.get(label)!.add(String(v));
      }
    }
    registryMetrics.set(metric.name, { name: metric.name, type: String(metric.type), labels: [...labelNames], values });
  }
});

/** The registry's metric a name in an expression reads (a histogram `x` provides `x_bucket`, `x_sum`, `x_count`). */
function metricOf(name: string): Metric | undefined {
  const direct = registryMetrics.get(name);
  if (direct) return direct;
  const series = /^(.*)_(bucket|sum|count)$/.exec(name);
  const base = series ? registryMetrics.get(series[1]!) : undefined;
  return base?.type === "histogram" ? base : undefined;
}

/** Labels a reference to `name` may use: its metric's, the target's, and `le` on buckets. */
function labelsOf(name: string): Set<string> {
  const labels = new Set([...(metricOf(name)?.labels ?? []), ...TARGET_LABELS]);
  if (name.endsWith("_bucket")) labels.add("le");
  return labels;
}

function namesIn(expr: string): string[] {
  return [...expr.matchAll(METRIC_NAME)].map((m) => m[1]!);
}

/** Index of the parenthesis closing the one at `open` (quoted strings skipped). */
function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in: ${text}`);
}

/** Index of the parenthesis opening the one at `close`. */
function openingParen(text: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (text[i] === ")") depth++;
    else if (text[i] === "(" && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in: ${text}`);
}

/** `by (…)`, `without (…)`, `on (…)`, `ignoring (…)` and `group_left/right (…)` clauses, each with the text its labels apply to. */
function groupings(expr: string): Array<{ clause: string; labels: string[]; scope: string }> {
  const found = [];
  for (const m of expr.matchAll(/\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    const labels = m[2]!.split(",").map((l) => l.trim()).filter(Boolean);
    let scope = expr;
    if (m[1] === "by" || m[1] === "without") {
      const after = m.index + m[0].length;
      const next = expr.slice(after).search(/\S/);
      if (next >= 0 && expr[after + next] === "(") {
        scope = expr.slice(after + next, closingParen(expr, after + next) + 1); // sum by (x) (…)
      } else {
        const before = expr.slice(0, m.index).trimEnd(); // sum(…) by (x)
        if (!before.endsWith(")")) throw new Error(`cannot tell what "${m[0]}" groups in: ${expr}`);
        scope = before.slice(openingParen(before, before.length - 1));
      }
    }
    found.push({ clause: m[0], labels, scope });
  }
  return found;
}

/** Every `metric{matchers}` selector. */
function selectors(expr: string): Array<{ name: string; matchers: Array<{ label: string; op: string; value: string }> }> {
  return [...expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}/g)].map((m) => ({
    name: m[1]!,
    matchers: [...m[2]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({ label: x[1]!, op: x[2]!, value: x[3]! })),
  }));
}

/** What is wrong with the metrics, labels and label values one expression uses. */
function problemsOf({ where, expr, legend }: Expression): string[] {
  const problems: string[] = [];
  const names = namesIn(expr);
  if (names.length === 0 && !/\bup\b/.test(expr)) problems.push(`${where}: reads no metric of the service: ${expr}`);
  for (const name of names) {
    if (!metricOf(name)) problems.push(`${where}: ${name} is not a metric of the registry`);
  }
  for (const { name, matchers } of selectors(expr)) {
    const metric = metricOf(name);
    if (!metric) continue;
    for (const { label, op, value } of matchers) {
      if (!labelsOf(name).has(label)) {
        problems.push(`${where}: ${name} has no label "${label}" (it has: ${metric.labels.join(", ") || "none"})`);
        continue;
      }
      if (!metric.labels.includes(label)) continue; // instance, job, le
      // A regex is checked when it is a plain alternation of values (`in_use|idle`).
      const values = op === "=" || op === "!=" ? [value] : /^[\w.:/-]+(\|[\w.:/-]+)*$/.test(value) ? value.split("|") : [];
      const known = metric.values.get(label);
      for (const v of values) {
        if (!known) problems.push(`${where}: no values of ${name}{${label}} are known here; record some in beforeAll`);
        else if (!known.has(v)) problems.push(`${where}: ${name}{${label}} is never "${v}" (it is one of: ${[...known].sort().join(", ")})`);
      }
    }
  }
  for (const { clause, labels, scope } of groupings(expr)) {
    for (const name of namesIn(scope)) {
      if (!metricOf(name)) continue;
      for (const label of labels) {
        if (!labelsOf(name).has(label)) problems.push(`${where}: "${clause}" over ${name}, which has no label "${label}"`);
      }
    }
  }
  if (legend) {
    for (const [, label] of legend.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)) {
      for (const name of names) {
        if (metricOf(name) && !labelsOf(name).has(label!)) problems.push(`${where}: the legend shows {{${label}}}, which ${name} does not have`);
      }
    }
  }
  // ca_accounts is the same count of the shared database on every instance: never add it up.
  for (const m of expr.matchAll(/\bca_accounts\b/g)) {
    if (!/\bmax\s*(by\s*\([^)]*\)\s*)?\(\s*$/.test(expr.slice(0, m.index))) problems.push(`${where}: ca_accounts must be read with max() over instances: ${expr}`);
  }
  return problems;
}

/** GitHub's anchor of a heading. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** The `#`-headings of a Markdown file, outside fenced blocks, with their level. */
function headingsOf(markdown: string): Array<{ level: number; text: string; anchor: string }> {
  const headings = [];
  let fenced = false;
  for (const line of markdown.split("\n")) {
    if (/^(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    const m = !fenced && /^(#{1,6})\s+(.*)$/.exec(line);
    if (m) headings.push({ level: m[1]!.length, text: m[2]!.trim(), anchor: anchorOf(m[2]!) });
  }
  return headings;
}

function loadRules(): AlertRule[] {
  const file = parse(read(RULES_FILE)) as { groups?: Array<{ name?: unknown; rules?: AlertRule[] }> };
  expect(Array.isArray(file.groups) && file.groups.length > 0).toBe(true);
  return file.groups!.flatMap((group) => {
    expect(typeof group.name).toBe("string");
    expect(Array.isArray(group.rules)).toBe(true);
    return group.rules!;
  });
}

function loadDashboard(): Dashboard {
  return JSON.parse(read(DASHBOARD_FILE)) as Dashboard;
}

function panelsOf(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

function dashboardExpressions(dashboard: Dashboard): Expression[] {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target, i) => ({ where: `panel "${panel.title}" target ${i + 1}`, expr: target.expr ?? "", legend: target.legendFormat })),
  );
}

/** The service's own metrics (default process and Node.js metrics aside). */
function serviceMetrics(): Metric[] {
  return [...registryMetrics.values()].filter((m) => m.name.startsWith("ca_"));
}

describe("alerting rules (deploy/prometheus/alerts.yml)", () => {
  it("are alerts with an expression, a duration, a severity, a summary and a runbook section", () => {
    const docs = read(DOCS_FILE);
    const anchors = new Set(headingsOf(docs).map((h) => h.anchor));
    const problems: string[] = [];
    const rules = loadRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const [i, rule] of rules.entries()) {
      const where = `rule ${i + 1} (${String(rule.alert ?? rule.record)})`;
      if (typeof rule.alert !== "string" || !/^[A-Z][A-Za-z0-9]+$/.test(rule.alert)) problems.push(`${where}: "alert" must be a CamelCase name`);
      if (typeof rule.expr !== "string" || !rule.expr.trim()) problems.push(`${where}: no "expr"`);
      if (typeof rule.for !== "string" || !/^(\d+[smhd])+$/.test(rule.for)) problems.push(`${where}: "for" must be a duration such as 5m`);
      if (!["critical", "warning", "info"].includes(String(rule.labels?.severity))) problems.push(`${where}: labels.severity must be critical, warning or info`);
      if (typeof rule.annotations?.summary !== "string" || !rule.annotations.summary.trim()) problems.push(`${where}: no annotations.summary`);
      if (typeof rule.annotations?.description !== "string" || !rule.annotations.description.trim()) problems.push(`${where}: no annotations.description`);
      const runbook = /^docs\/observability\.md#([a-z0-9_-]+)$/.exec(String(rule.annotations?.runbook_url));
      if (!runbook) problems.push(`${where}: annotations.runbook_url must be docs/observability.md#<anchor>`);
      else if (!anchors.has(runbook[1]!)) problems.push(`${where}: ${DOCS_FILE} has no heading for #${runbook[1]}`);
      else if (typeof rule.alert === "string" && runbook[1] !== anchorOf(rule.alert)) problems.push(`${where}: the runbook should be the alert's own section, #${anchorOf(rule.alert)}`);
    }
    expect(problems).toEqual([]);
  });

  it("read only metrics, labels and label values the service has", () => {
    const problems = loadRules().flatMap((rule) => problemsOf({ where: `alert ${String(rule.alert)}`, expr: String(rule.expr) }));
    expect(problems).toEqual([]);
  });

  it("name in their annotations only labels their expression keeps", () => {
    const problems = new Set<string>();
    for (const rule of loadRules()) {
      const expr = String(rule.expr);
      const aggregated = /\b(sum|min|max|avg|count|group|stddev|stdvar|topk|bottomk|quantile|count_values)\s*(by|without)?\s*\(/.test(expr);
      const kept = aggregated
        ? new Set(groupings(expr).filter((g) => g.clause.startsWith("by")).flatMap((g) => g.labels))
        : new Set([...TARGET_LABELS, ...namesIn(expr).flatMap((name) => [...labelsOf(name)])]);
      for (const text of [rule.annotations?.summary, rule.annotations?.description]) {
        for (const [, label] of String(text).matchAll(/\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)/g)) {
          if (!kept.has(label!)) problems.add(`alert ${String(rule.alert)}: the annotations name $labels.${label}, which its expression does not keep`);
        }
      }
    }
    expect([...problems]).toEqual([]);
  });

  it("each have a section under Alerts in docs/observability.md, and each section an alert", () => {
    const headings = headingsOf(read(DOCS_FILE));
    const start = headings.findIndex((h) => h.level === 2 && h.text === "Alerts");
    expect(start).toBeGreaterThanOrEqual(0);
    const end = headings.findIndex((h, i) => i > start && h.level <= 2);
    const sections = headings.slice(start + 1, end < 0 ? undefined : end).filter((h) => h.level === 3).map((h) => h.text);
    const alerts = [...new Set(loadRules().map((rule) => String(rule.alert)))];
    expect(sections.sort()).toEqual(alerts.sort());
  });
});

describe("dashboard (deploy/grafana/connected-accounts.json)", () => {
  it("is schema 39, with a Prometheus data source input and the datasource and instance variables", () => {
    const dashboard = loadDashboard();
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", type: "datasource", pluginId: "prometheus" })]);
    const variables = new Map(dashboard.templating.list.map((v) => [v.name, v]));
    expect(variables.get("datasource")).toEqual(expect.objectContaining({ type: "datasource", query: "prometheus" }));
    expect(variables.get("instance")).toEqual(expect.objectContaining({ type: "query" }));
    const problems = problemsOf({ where: "variable instance", expr: String(variables.get("instance")!.definition) });
    const panels = panelsOf(dashboard);
    const ids = panels.map((p) => p.id);
    if (new Set(ids).size !== ids.length) problems.push("panel ids are not unique");
    for (const panel of panels.filter((p) => p.type !== "row")) {
      if (!["timeseries", "stat"].includes(panel.type)) problems.push(`panel "${panel.title}": type ${panel.type}`);
      if (panel.datasource?.uid !== "${datasource}") problems.push(`panel "${panel.title}": its data source is not \${datasource}`);
      if (!panel.targets?.length) problems.push(`panel "${panel.title}": no query`);
    }
    expect(problems).toEqual([]);
  });

  it("reads only metrics, labels and label values the service has, on the selected instances", () => {
    const problems = dashboardExpressions(loadDashboard()).flatMap((e) => {
      const found = problemsOf(e);
      for (const { name, matchers } of selectors(e.expr)) {
        if (name !== "ca_accounts" && !matchers.some((m) => m.label === "instance" && m.op === "=~" && m.value === "$instance")) found.push(`${e.where}: ${name} is not filtered by instance=~"$instance"`);
      }
      for (const name of namesIn(e.expr)) {
        // ca_accounts is one count, the same on every instance: it needs no instance filter.
        if (name !== "ca_accounts" && !selectors(e.expr).some((s) => s.name === name)) found.push(`${e.where}: ${name} is not filtered by instance=~"$instance"`);
      }
      return found;
    });
    expect(problems).toEqual([]);
  });

  it("shows every metric of the service", () => {
    const shown = new Set(dashboardExpressions(loadDashboard()).flatMap((e) => namesIn(e.expr).map((name) => metricOf(name)?.name)));
    expect(serviceMetrics().map((m) => m.name).filter((name) => !shown.has(name))).toEqual([]);
  });
});

describe("docs/observability.md", () => {
  it("has every metric of the service in its table, with its type and labels", () => {
    const rows = new Map<string, { type: string; labels: string[] }>();
    for (const line of read(DOCS_FILE).split("\n")) {
      const cells = line.split("|").map((c) => c.trim());
      const name = /^`(ca_[a-z0-9_]+)`$/.exec(cells[1] ?? "");
      if (!line.startsWith("|") || !name) continue;
      const labels = [...(cells[3] ?? "").matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
      rows.set(name[1]!, { type: cells[2]!, labels });
    }
    const problems: string[] = [];
    for (const metric of serviceMetrics()) {
      const row = rows.get(metric.name);
      if (!row) problems.push(`${metric.name} is not in the table`);
      else if (row.type !== metric.type) problems.push(`${metric.name}: the table says ${row.type}, it is a ${metric.type}`);
      else if ([...row.labels].sort().join() !== [...metric.labels].sort().join()) problems.push(`${metric.name}: the table says labels ${row.labels.join(", ") || "none"}, it has ${metric.labels.join(", ") || "none"}`);
    }
    for (const name of rows.keys()) if (!registryMetrics.has(name)) problems.push(`${name} is in the table but not in the registry`);
    expect(problems).toEqual([]);
  });

  it("has no fenced code block (docs examples run; the YAML examples live in deploy/README.md)", () => {
    expect(read(DOCS_FILE)).not.toMatch(/^\s*(`{3,}|~{3,})/m);
  });
});
