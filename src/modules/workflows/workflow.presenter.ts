import type { StepEntity, StepRunEntity, WorkflowEntity } from "./workflow.entity";
import { StepRunType, StepType, WorkflowType } from "./workflow.type";

/** Copies the exposed fields of a workflow. */
export function presentWorkflow(entity: WorkflowEntity): WorkflowType {
  return Object.assign(new WorkflowType(), {
    id: entity.id,
    workspaceId: entity.workspaceId,
    name: entity.name,
    builderVersion: entity.builderVersion,
    createdAt: entity.createdAt,
  });
}

/** Copies the exposed fields of a step (props, code and request are readable by every member). */
export function presentStep(entity: StepEntity): StepType {
  return Object.assign(new StepType(), {
    id: entity.id,
    workflowId: entity.workflowId,
    accountId: entity.accountId,
    position: entity.position,
    kind: entity.kind,
    name: entity.name,
    appSlug: entity.appSlug,
    propsJson: entity.props,
    code: entity.code,
    httpJson: entity.http || null,
    accountRemoved: entity.accountRemoved,
  });
}

/** Copies the exposed fields of a step run (already redacted when recorded). */
export function presentStepRun(entity: StepRunEntity): StepRunType {
  return Object.assign(new StepRunType(), {
    id: entity.id,
    status: entity.status,
    inputs: JSON.parse(entity.inputs) as Record<string, unknown>,
    exports: asObject(JSON.parse(entity.exports)),
    logs: JSON.parse(entity.logs) as string[],
    error: entity.error,
    durationMs: entity.durationMs,
    createdAt: entity.createdAt,
    testerMemberId: entity.testerMemberId,
  });
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}
