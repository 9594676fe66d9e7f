/**
 * The redactor on the worst answer a request through an account can bring back (issue 12's
 * limit, 5 MB), full of escapes (so the decoded second scan runs), with 20 secrets, two of them
 * present only encoded (JSON-escaped, hex). Against the naive check a reader would write first:
 * `includes` of each secret as it is, which finds neither encoded one. In process, in alternating
 * rounds, CPU per scan from `process.cpuUsage()`.
 */
import { randomBytes } from "node:crypto";
import { makeRedactor } from "../../src/modules/proxy/redact";
import { fmt, median, ownCpu, type BenchOptions, type Row, type ScenarioReport } from "../lib";

// The ratio goal: two regular-expression scans (the text, then its escapes decoded) that find
// every encoding cost at most this many naive scans that find none of them.
const GOAL = 8;
const MB = 1024 * 1024;

export async function redaction(options: BenchOptions): Promise<ScenarioReport> {
  const secrets = Array.from({ length: 20 }, () => `sk_live_${randomBytes(18).toString("base64url")}`);
  const redact = makeRedactor(secrets);
  const chunk = JSON.stringify({ id: "0123456789abcdef", url: "https://x.example/a%20b?c=d&e=f", text: "caf\\u00e9 &amp; more", b64: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" });
  const bytes = options.smoke ? MB / 4 : 5 * MB;
  const filler = Array.from({ length: Math.ceil(bytes / 2 / chunk.length) }, () => chunk).join(",");
  const escaped = [...secrets[0]!].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  const text = `${filler}"${escaped}",${filler}"${Buffer.from(secrets[19]!).toString("hex")}"`;

  const ours = () => redact(text);
  const naive = () => secrets.filter((secret) => text.includes(secret)).length;
  const found = ours();
  const redactedBoth = !found.includes(escaped) && !found.includes(Buffer.from(secrets[19]!).toString("hex")) && found.split("[redacted]").length === 3;
  if (!redactedBoth) throw new Error("redaction: the encoded secrets were not both redacted");

  const timed = (run: () => unknown): number => {
    const c0 = ownCpu();
    run();
    return (ownCpu() - c0) * 1e3;
  };
  ours();
  naive();
  const oursMs: number[] = [];
  const naiveMs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? [true, false] : [false, true];
    const figures: Record<string, number> = {};
    for (const isOurs of order) figures[isOurs ? "ours" : "naive"] = timed(isOurs ? ours : naive);
    oursMs.push(figures.ours!);
    naiveMs.push(figures.naive!);
    ratios.push(figures.ours! / Math.max(figures.naive!, 0.001));
  }
  const ratio = median(ratios);
  const row: Row = {
    scenario: `redaction of a ${fmt(text.length)} B answer full of escapes, 20 secrets`,
    case: "two secrets present only encoded (JSON \\u escapes, hex)",
    service: `${fmt(median(oursMs))} ms CPU`,
    baseline: `${fmt(median(naiveMs))} ms CPU (String.includes of each secret as it is)`,
    ratio,
    goal: `≤ ${GOAL}× the naive scan, both encoded secrets redacted`,
    met: ratio <= GOAL && redactedBoth,
    detail: `the naive scan found ${naive()} of the 2; the redactor ${redactedBoth ? "redacted both" : "missed one"}`,
  };
  return { rows: [row], notes: [`Redaction: in process, ${options.rounds} alternating rounds, one scan per figure.`] };
}
