import { GraphQLJSONObject } from "graphql-scalars";
import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { BUILDER_VERSIONS, STEP_KINDS, type BuilderVersion, type StepKind } from "./workflow.entity";

/** The GraphQL enums of builder versions and step kinds. */
export const BuilderVersionEnum = Object.fromEntries(BUILDER_VERSIONS.map((v) => [v, v])) as { [V in BuilderVersion]: V };
registerEnumType(BuilderVersionEnum, {
  name: "BuilderVersion",
  valuesConfig: { V1: { description: "The legacy builder: only accounts shared with the entire workspace." }, V2: { description: "The current builder." } },
});
export const StepKindEnum = Object.fromEntries(STEP_KINDS.map((k) => [k, k])) as { [K in StepKind]: K };
registerEnumType(StepKindEnum, { name: "StepKind" });
registerEnumType({ ACCOUNT_NOT_SHARED: "ACCOUNT_NOT_SHARED", V1_REQUIRES_WORKSPACE_SHARE: "V1_REQUIRES_WORKSPACE_SHARE" }, {
  name: "StepReadOnlyReason",
});
registerEnumType({ READ_ONLY: "READ_ONLY", ACCOUNT_REMOVED: "ACCOUNT_REMOVED" }, { name: "StepImpactEffect" });

/** A workflow: a named sequence of steps. */
@Directive(`@key(fields: "id")`)
@ObjectType("Workflow")
export class WorkflowType {
  @Field(() => ID)
  id!: string;

  workspaceId!: string;

  @Field()
  name!: string;

  @Field(() => BuilderVersionEnum)
  builderVersion!: BuilderVersion;

  @Field()
  createdAt!: Date;
}

/** What the viewer may do with a step. */
@ObjectType()
export class StepCapabilitiesType {
  @Field({ description: "Modify props and code, and remove the step." })
  edit!: boolean;

  @Field({ description: "Test the step (every member may)." })
  test!: boolean;

  @Field(() => String, { nullable: true, description: "Why the step is read-only for the viewer: ACCOUNT_NOT_SHARED or V1_REQUIRES_WORKSPACE_SHARE." })
  readOnlyReason!: string | null;
}

/** The part of a step's account every member may see, even without access to the account. */
@ObjectType()
export class StepAccountSummary {
  @Field(() => ID)
  id!: string;

  @Field()
  nickname!: string;

  @Field()
  appSlug!: string;

  ownerMemberId!: string | null;
}

/** A trigger or action of a workflow. */
@Directive(`@key(fields: "id")`)
@ObjectType("Step")
export class StepType {
  @Field(() => ID)
  id!: string;

  workflowId!: string;
  accountId!: string | null;

  @Field(() => Int)
  position!: number;

  @Field(() => StepKindEnum)
  kind!: StepKind;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  appSlug!: string | null;

  // Stored JSON, parsed only when a query asks for `props` or `http` (lists of steps rarely do).
  propsJson!: string;
  httpJson!: string | null;

  @Field(() => GraphQLJSONObject, { description: "Prop inputs (readable by every member)." })
  get props(): Record<string, unknown> {
    return JSON.parse(this.propsJson) as Record<string, unknown>;
  }

  @Field(() => String, { nullable: true })
  code!: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "HTTP request steps: method, path, query, headers, body." })
  get http(): Record<string, unknown> | null {
    return this.httpJson === null ? null : (JSON.parse(this.httpJson) as Record<string, unknown>);
  }

  @Field({ description: "True when the account this step used was deleted; the step kept its configuration." })
  accountRemoved!: boolean;
}

/** One test run of a step, readable by every member; secrets are redacted. */
@ObjectType("StepRun")
export class StepRunType {
  @Field(() => ID)
  id!: string;

  @Field()
  status!: string;

  @Field(() => GraphQLJSONObject)
  inputs!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: "What the step exported (referenceable by later steps)." })
  exports!: Record<string, unknown>;

  @Field(() => [String])
  logs!: string[];

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;

  @Field()
  createdAt!: Date;

  testerMemberId!: string | null;
}

/** Result of switchStepAccount. */
@ObjectType()
export class SwitchStepAccountPayload {
  @Field(() => StepType)
  step!: StepType;

  @Field(() => [String], { description: "Props that depended on the old account and were cleared." })
  clearedProps!: string[];
}

/** One step a change would make read-only or leave without its account, and for whom. */
@ObjectType()
export class StepImpactType {
  @Field(() => ID)
  stepId!: string;

  @Field(() => ID)
  workflowId!: string;

  @Field(() => ID, { nullable: true, description: "The member who would lose edit access (null: everyone)." })
  memberId!: string | null;

  @Field(() => String)
  effect!: "READ_ONLY" | "ACCOUNT_REMOVED";
}

/** An HTTP request of a step: a path under the app's API base URL. */
@InputType()
export class HttpRequestInput {
  @Field()
  method!: string;

  @Field()
  path!: string;

  @Field(() => GraphQLJSONObject, { nullable: true })
  query?: Record<string, string> | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  headers?: Record<string, string> | null;

  @Field(() => String, { nullable: true })
  body?: string | null;
}

/** Input of addStep. */
@InputType()
export class AddStepInput {
  @Field(() => ID)
  workflowId!: string;

  @Field(() => StepKindEnum)
  kind!: StepKind;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  appSlug?: string | null;

  @Field(() => ID, { nullable: true })
  accountId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  props?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => HttpRequestInput, { nullable: true })
  http?: HttpRequestInput | null;
}

/** Input of updateStep. */
@InputType()
export class UpdateStepInput {
  @Field(() => ID)
  stepId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  props?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  code?: string | null;

  @Field(() => HttpRequestInput, { nullable: true })
  http?: HttpRequestInput | null;
}

/** Input of accessChangeImpact. */
@InputType()
export class AccessChangeInput {
  @Field(() => ID)
  accountId!: string;

  @Field(() => Boolean, { nullable: true })
  deleteAccount?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  revokeWorkspace?: boolean | null;

  @Field(() => [ID], { nullable: true })
  revokeMemberIds?: string[] | null;
}
