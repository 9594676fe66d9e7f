import type { BenchOptions, ScenarioReport } from "../lib";

/** Not written yet. */
export async function fanout(_options: BenchOptions): Promise<ScenarioReport> {
  return { rows: [], notes: ["fanout: not measured yet."] };
}
