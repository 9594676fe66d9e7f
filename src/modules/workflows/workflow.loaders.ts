import type { DataSource } from "typeorm";
import { entityColumns, placeholders, selectEntitiesIn } from "../../db/entity-rows";
import { MemoLoader } from "../../db/memo-loader";
import { StepEntity, StepRunEntity, WorkflowEntity } from "./workflow.entity";

/** Batched reads of workflows and steps for one request. */
export interface WorkflowLoaders {
  workflowById: MemoLoader<string, WorkflowEntity | null>;
  stepsByWorkflow: MemoLoader<string, StepEntity[]>;
  stepsByAccount: MemoLoader<string, StepEntity[]>;
  /** Newest runs first, at most RUNS_PER_STEP per step. */
  runsByStep: MemoLoader<string, StepRunEntity[]>;
}

/** How many recent runs a step shows. */
export const RUNS_PER_STEP = 20;

function group<T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string | null): T[][] {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}

/** Creates the loaders; one query per batch. */
export function createWorkflowLoaders(dataSource: DataSource): WorkflowLoaders {
  const workflowById = new MemoLoader<string, WorkflowEntity | null>(async (ids) => {
    const rows = await selectEntitiesIn(dataSource, WorkflowEntity, "id", ids);
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
  const stepColumns = entityColumns(dataSource, StepEntity, "s");
  const workflowColumns = entityColumns(dataSource, WorkflowEntity, "w");
  return {
    workflowById,
    stepsByWorkflow: new MemoLoader(async (ids) =>
      group(ids, await selectEntitiesIn(dataSource, StepEntity, "workflow_id", ids, { orderBy: "position, id" }), (s) => s.workflowId),
    ),
    // Steps come with their workflows (an account's steps are shown with the workflow they are in):
    // one statement instead of two.
    stepsByAccount: new MemoLoader(async (ids) => {
      const rows = (await dataSource.query(
        `SELECT ${stepColumns.select}, ${workflowColumns.select} FROM steps s JOIN workflows w ON w.id = s.workflow_id WHERE s.account_id IN (${placeholders(ids.length)}) ORDER BY s.id`,
        [...ids],
      )) as Array<Record<string, unknown>>;
      const steps = rows.map((row) => {
        const step = stepColumns.hydrate(row)!;
        if (workflowById.peek(step.workflowId) === undefined) workflowById.prime(step.workflowId, workflowColumns.hydrate(row)!);
        return step;
      });
      return group(ids, steps, (s) => s.accountId);
    }),
    runsByStep: new MemoLoader(async (ids) =>
      group(ids, await selectEntitiesIn(dataSource, StepRunEntity, "step_id", ids, { orderBy: "id DESC" }), (r) => r.stepId).map((runs) => runs.slice(0, RUNS_PER_STEP)),
    ),
  };
}
