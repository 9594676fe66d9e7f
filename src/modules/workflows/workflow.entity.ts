import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from "typeorm";
import { FlagColumn, IdColumn, IntColumn, RefColumn, StringColumn, TimestampColumn } from "../../db/columns";
import { AccountEntity } from "../accounts/account.entity";
import { WorkspaceEntity } from "../workspaces/workspace.entity";
import type { JsonBounds } from "../../validation/json";

/** Props of a step: what their column holds (TEXT on MariaDB), and shallow enough for every serializer on the way. */
export const PROPS_BOUNDS: JsonBounds = { maxDepth: 32, maxBytes: 65_535 };

/** Builder versions: V2 is current; V1 is the legacy builder (workspace-shared accounts only). */
export const BUILDER_VERSIONS = ["V1", "V2"] as const;
/** One builder version. */
export type BuilderVersion = (typeof BUILDER_VERSIONS)[number];

/** Kinds of step. */
export const STEP_KINDS = ["TRIGGER", "ACTION", "CODE", "HTTP_REQUEST"] as const;
/** One kind of step. */
export type StepKind = (typeof STEP_KINDS)[number];

/** A named sequence of steps. */
@Entity({ name: "workflows" })
@Index("ix_workflows_workspace", ["workspaceId", "id"])
export class WorkflowEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @ManyToOne(() => WorkspaceEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workspace_id" })
  workspace?: Relation<WorkspaceEntity>;

  @StringColumn(120)
  name!: string;

  @StringColumn(4, { name: "builder_version" })
  builderVersion!: BuilderVersion;

  @RefColumn({ name: "created_by_member_id", nullable: true })
  createdByMemberId!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/** A trigger or action of a workflow, with the account it uses (by id). */
@Entity({ name: "steps" })
@Index("ix_steps_workflow", ["workflowId", "position"])
@Index("ix_steps_account", ["accountId"])
export class StepEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "workflow_id" })
  workflowId!: string;

  @ManyToOne(() => WorkflowEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "workflow_id" })
  workflow?: Relation<WorkflowEntity>;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @IntColumn()
  position!: number;

  @StringColumn(16)
  kind!: StepKind;

  @StringColumn(120)
  name!: string;

  @StringColumn(64, { name: "app_slug", nullable: true })
  appSlug!: string | null;

  @RefColumn({ name: "account_id", nullable: true })
  accountId!: string | null;

  @ManyToOne(() => AccountEntity, { onDelete: "SET NULL", nullable: true })
  @JoinColumn({ name: "account_id" })
  account?: Relation<AccountEntity> | null;

  /** Set when the account it used was deleted: the step keeps its configuration but has no account. */
  @FlagColumn(false, { name: "account_removed" })
  accountRemoved!: boolean;

  /** Prop inputs, a JSON object. */
  @Column({ type: "text" })
  props!: string;

  @Column({ type: "text", nullable: true })
  code!: string | null;

  /** For HTTP request steps: method, path, query, headers, body (JSON). */
  @Column({ type: "text", nullable: true })
  http!: string | null;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;

  @TimestampColumn({ name: "updated_at" })
  updatedAt!: Date;
}

/** The fields a new step needs; the rest start empty (see `newStep`). */
export type NewStepFields = Pick<StepEntity, "id" | "workflowId" | "workspaceId" | "position" | "kind" | "name" | "appSlug" | "accountId"> & Partial<StepEntity>;

/** A new step row: no props, code or request unless given, its account present, created now. */
export function newStep(fields: NewStepFields): StepEntity {
  const now = new Date();
  return Object.assign(new StepEntity(), { accountRemoved: false, props: "{}", code: null, http: null, createdAt: now, updatedAt: now, ...fields });
}

/** One test run of a step: what went in, what came out; secrets redacted. Readable by every member. */
@Entity({ name: "step_runs" })
@Index("ix_step_runs_step", ["stepId", "id"])
@Index("ix_step_runs_created", ["createdAt"])
export class StepRunEntity {
  @IdColumn()
  id!: string;

  @RefColumn({ name: "step_id" })
  stepId!: string;

  @ManyToOne(() => StepEntity, { onDelete: "CASCADE" })
  @JoinColumn({ name: "step_id" })
  step?: Relation<StepEntity>;

  @RefColumn({ name: "workspace_id" })
  workspaceId!: string;

  @RefColumn({ name: "tester_member_id", nullable: true })
  testerMemberId!: string | null;

  @StringColumn(16)
  status!: "SUCCESS" | "ERROR";

  @Column({ type: "text" })
  inputs!: string;

  @Column({ type: "text" })
  exports!: string;

  @Column({ type: "text" })
  logs!: string;

  @StringColumn(1000, { nullable: true })
  error!: string | null;

  @IntColumn({ name: "duration_ms" })
  durationMs!: number;

  @TimestampColumn({ name: "created_at" })
  createdAt!: Date;
}
