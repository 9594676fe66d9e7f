import type { BenchOptions, ScenarioReport } from "../lib";

/** Not written yet. */
export async function refresh(_options: BenchOptions): Promise<ScenarioReport> {
  return { rows: [], notes: ["refresh: not measured yet."] };
}
