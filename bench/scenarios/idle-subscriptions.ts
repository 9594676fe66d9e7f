import type { BenchOptions, ScenarioReport } from "../lib";

/** Not written yet. */
export async function idleSubscriptions(_options: BenchOptions): Promise<ScenarioReport> {
  return { rows: [], notes: ["idle-subscriptions: not measured yet."] };
}
