import type { BenchOptions, ScenarioReport } from "../lib";

/** Not written yet. */
export async function accountsList(_options: BenchOptions): Promise<ScenarioReport> {
  return { rows: [], notes: ["accounts-list: not measured yet."] };
}
