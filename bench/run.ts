/**
 * Benchmarks (issue #8): each hot path of the real service (built JS, MariaDB, Redis where it
 * matters) measured against its physical floor in the same run, in alternating rounds, with the
 * service's CPU per operation as the main figure. Prints one markdown table and writes it to
 * .bench-results/results.md. A benchmark, never a test: nothing here fails on a timing.
 *
 *   npm run bench                      every scenario
 *   npm run bench -- token fanout      only the named scenarios
 *   BENCH_SMOKE=1 npm run bench        a short run that exercises every path (figures meaningless)
 *   BENCH_ROUNDS=5                     more alternating rounds (at least 3)
 *   BENCH_PROFILE=/tmp/prof            V8 CPU profiles of the service (open in Chrome DevTools)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, type BenchOptions, type Row, type Scenario } from "./lib";
import { accountsList } from "./scenarios/accounts-list";
import { fanout } from "./scenarios/fanout";
import { idleSubscriptions } from "./scenarios/idle-subscriptions";
import { refresh } from "./scenarios/refresh";
import { tokenFetch } from "./scenarios/token-fetch";
import { validation } from "./scenarios/validation";
import { redaction } from "./scenarios/redaction";
import { observability } from "./scenarios/observability";
import { webhooks } from "./scenarios/webhooks";
import { subscribe } from "./scenarios/subscribe";

const SCENARIOS: Record<string, Scenario> = {
  token: tokenFetch,
  list: accountsList,
  fanout,
  idle: idleSubscriptions,
  refresh,
  validation,
  redaction,
  observability,
  webhooks,
  subscribe,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
  const options: BenchOptions = {
    smoke: ["1", "true"].includes(process.env.BENCH_SMOKE ?? ""),
    rounds: Math.max(3, Number(process.env.BENCH_ROUNDS ?? 3)),
    profileDir: process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined,
  };
  const rows: Row[] = [];
  const notes: string[] = [];
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
    const started = Date.now();
    process.stderr.write(`bench: ${name}…\n`);
    const report = await SCENARIOS[name]!(options);
    rows.push(...report.rows);
    notes.push(...report.notes);
    process.stderr.write(`bench: ${name} done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  const cpu = os.cpus();
  const text = [
    `Connected Accounts benchmarks, ${new Date().toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model.trim() ?? "CPU"}, Node ${process.version}, ` +
      `${options.rounds} alternating rounds (the ratio is the median of the per-round ratios)${options.smoke ? ", SMOKE RUN (figures meaningless)" : ""}.`,
    "",
    "| scenario | case | service | baseline | ratio | goal | met | detail |",
    "|---|---|---:|---:|---:|---|---|---|",
    ...rows.map((r) =>
      `| ${r.scenario} | ${r.case} | ${r.service} | ${r.baseline} | ${r.ratio === null ? "—" : `${r.ratio.toFixed(2)}×`} | ${r.goal} | ${r.met === null ? "—" : r.met ? "yes" : "**no**"} | ${r.detail} |`,
    ),
    "",
    ...notes.map((n) => `- ${n}`),
  ].join("\n");
  console.log(text);
  fs.mkdirSync(path.join(ROOT, ".bench-results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, ".bench-results", options.smoke ? "smoke.md" : "results.md"), text + "\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
