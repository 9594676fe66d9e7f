import DataLoader from "dataloader";
import { In, type DataSource } from "typeorm";
import { StepEntity, StepRunEntity, WorkflowEntity } from "./workflow.entity";

/** Batched reads of workflows and steps for one request. */
export interface WorkflowLoaders {
  workflowById: DataLoader<string, WorkflowEntity | null>;
  stepsByWorkflow: DataLoader<string, StepEntity[]>;
  stepsByAccount: DataLoader<string, StepEntity[]>;
  /** Newest runs first, at most RUNS_PER_STEP per step. */
  runsByStep: DataLoader<string, StepRunEntity[]>;
}

/** How many recent runs a step shows. */
export const RUNS_PER_STEP = 20;

function group<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string | null): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) map.set(key, [...(map.get(key) ?? []), row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** Creates the loaders; one query per batch. */
export function createWorkflowLoaders(dataSource: DataSource): WorkflowLoaders {
  const workflows = dataSource.getRepository(WorkflowEntity);
  const steps = dataSource.getRepository(StepEntity);
  return {
    workflowById: new DataLoader(async (ids) => {
      const rows = await workflows.findBy({ id: In([...ids]) });
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    stepsByWorkflow: new DataLoader(async (ids) =>
      group(ids, await steps.find({ where: { workflowId: In([...ids]) }, order: { position: "ASC", id: "ASC" } }), (s) => s.workflowId),
    ),
    stepsByAccount: new DataLoader(async (ids) =>
      group(ids, await steps.find({ where: { accountId: In([...ids]) }, order: { id: "ASC" } }), (s) => s.accountId),
    ),
    runsByStep: new DataLoader(async (ids) =>
      group(ids, await dataSource.getRepository(StepRunEntity).find({ where: { stepId: In([...ids]) }, order: { id: "DESC" } }), (r) => r.stepId).map(
        (runs) => runs.slice(0, RUNS_PER_STEP),
      ),
    ),
  };
}
