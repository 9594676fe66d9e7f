import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access } from "../../graphql/access";
import { AccountType } from "../accounts/account.type";
import { CredentialFieldInput } from "../accounts/account.inputs";
import { peekAccountViewer } from "../workspaces/workspace.loaders";
import { presentMember } from "../workspaces/workspace.presenter";
import { MemberType } from "../workspaces/workspace.type";
import type { BuilderVersion } from "./workflow.entity";
import { presentStep, presentStepRun, presentWorkflow } from "./workflow.presenter";
import {
  AccessChangeInput,
  AddStepInput,
  BuilderVersionEnum,
  StepAccountSummary,
  StepCapabilitiesType,
  StepImpactType,
  StepRunType,
  StepType,
  SwitchStepAccountPayload,
  UpdateStepInput,
  WorkflowType,
} from "./workflow.type";

/** Workflows: any member of the workspace sees and builds them. */
@Resolver(() => WorkflowType)
export class WorkflowResolver {
  @Access("authenticated")
  @Query(() => [WorkflowType], { description: "Every workflow of a workspace, newest first." })
  async workflows(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() context: RequestContext): Promise<WorkflowType[]> {
    return (await context.services.workflows.list(context.loaders, workspaceId)).map(presentWorkflow);
  }

  @Access("authenticated")
  @Query(() => WorkflowType)
  async workflow(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<WorkflowType> {
    return presentWorkflow(await context.services.workflows.getWorkflow(context.loaders, id));
  }

  @Access("authenticated")
  @Mutation(() => WorkflowType)
  async createWorkflow(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("name") name: string,
    @Ctx() context: RequestContext,
    @Arg("builderVersion", () => BuilderVersionEnum, { nullable: true }) builderVersion?: BuilderVersion | null,
  ): Promise<WorkflowType> {
    return presentWorkflow(await context.services.workflows.createWorkflow(context.loaders, workspaceId, name, builderVersion ?? "V2"));
  }

  @Access("authenticated")
  @Mutation(() => WorkflowType)
  async renameWorkflow(@Arg("id", () => ID) id: string, @Arg("name") name: string, @Ctx() context: RequestContext): Promise<WorkflowType> {
    return presentWorkflow(await context.services.workflows.renameWorkflow(context.loaders, id, name));
  }

  @Access("authenticated", { account: "modifySteps" })
  @Mutation(() => ID, { description: "Deletes a workflow (refused while it holds a step that is read-only for the caller)." })
  async deleteWorkflow(@Arg("id", () => ID) id: string, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.workflows.deleteWorkflow(context.loaders, id)).id;
  }

  @FieldResolver(() => [StepType])
  async steps(@Root() workflow: WorkflowType, @Ctx() context: RequestContext): Promise<StepType[]> {
    return (await context.loaders.workflows.stepsByWorkflow.load(workflow.id)).map(presentStep);
  }
}

/** Steps: access is enforced here, at the step. */
@Resolver(() => StepType)
export class StepResolver {
  @Access("authenticated", { account: "use" })
  @Mutation(() => StepType, { description: "Adds a step; attaching an account needs 'add to a new trigger or step' on it." })
  async addStep(@Arg("input") input: AddStepInput, @Ctx() context: RequestContext): Promise<StepType> {
    return presentStep(await context.services.workflows.addStep(context.loaders, input.workflowId, input));
  }

  @Access("authenticated", { account: "modifySteps" })
  @Mutation(() => StepType, { description: "Changes a step's props, code or request (FORBIDDEN when it is read-only for the caller)." })
  async updateStep(@Arg("input") input: UpdateStepInput, @Ctx() context: RequestContext): Promise<StepType> {
    return presentStep(await context.services.workflows.updateStep(context.loaders, input.stepId, input));
  }

  @Access("authenticated")
  @Mutation(() => [StepType], { description: "Moves a step to a 0-based position; returns the workflow's steps in order." })
  async moveStep(@Arg("stepId", () => ID) stepId: string, @Arg("position", () => Int) position: number, @Ctx() context: RequestContext): Promise<StepType[]> {
    return (await context.services.workflows.moveStep(context.loaders, stepId, position)).map(presentStep);
  }

  @Access("authenticated", { account: "modifySteps" })
  @Mutation(() => ID)
  async removeStep(@Arg("stepId", () => ID) stepId: string, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.workflows.removeStep(context.loaders, stepId)).id;
  }

  @Access("authenticated", { account: "use" })
  @Mutation(() => SwitchStepAccountPayload, { description: "Switches a step to an account the caller may use; dependent props are cleared and listed." })
  async switchStepAccount(
    @Arg("stepId", () => ID) stepId: string,
    @Arg("accountId", () => ID) accountId: string,
    @Ctx() context: RequestContext,
  ): Promise<SwitchStepAccountPayload> {
    const { step, clearedProps } = await context.services.workflows.switchAccount(context.loaders, stepId, accountId);
    return { step: presentStep(step), clearedProps };
  }

  @Access("authenticated", { account: "testSteps" })
  @Mutation(() => StepRunType, { description: "Tests a step server-side with its account (whose credentials the tester never sees)." })
  async testStep(
    @Arg("stepId", () => ID) stepId: string,
    @Ctx() context: RequestContext,
    @Arg("externalCredentials", () => [CredentialFieldInput], {
      nullable: true,
      description: "Credentials from your own secrets store for this run only (checked against the app's fields, never stored, redacted).",
    })
    externalCredentials?: CredentialFieldInput[] | null,
  ): Promise<StepRunType> {
    return presentStepRun(await context.services.workflows.testStep(context.loaders, stepId, externalCredentials));
  }

  @Access("authenticated", { account: "manageAccess" })
  @Query(() => [StepImpactType], { description: "Before revoking access or deleting an account: which steps would become read-only, or lose the account, for whom." })
  async accessChangeImpact(@Arg("input") input: AccessChangeInput, @Ctx() context: RequestContext): Promise<StepImpactType[]> {
    const impacts = await context.services.workflows.impactOf(context.loaders, input.accountId, {
      deleteAccount: input.deleteAccount ?? false,
      revokeWorkspace: input.revokeWorkspace ?? false,
      revokeMemberIds: input.revokeMemberIds ?? [],
    });
    return impacts.map((i) => Object.assign(new StepImpactType(), i));
  }

  @FieldResolver(() => WorkflowType)
  workflow(@Root() step: StepType, @Ctx() context: RequestContext): WorkflowType | Promise<WorkflowType> {
    // From memory when the workflow and the caller's membership of its workspace are loaded (the
    // accounts page loads both); otherwise the service decides, with the same answer.
    const workflow = context.loaders.workflows.workflowById.peek(step.workflowId);
    if (workflow && peekAccountViewer(context.loaders.workspaces, workflow.workspaceId)) return presentWorkflow(workflow);
    return context.services.workflows.getWorkflow(context.loaders, step.workflowId).then(presentWorkflow);
  }

  @FieldResolver(() => StepCapabilitiesType, { description: "What the viewer may do with this step." })
  async viewerCan(@Root() step: StepType, @Ctx() context: RequestContext): Promise<StepCapabilitiesType> {
    return Object.assign(new StepCapabilitiesType(), await context.services.workflows.capabilitiesOf(context.loaders, step));
  }

  @FieldResolver(() => StepAccountSummary, { nullable: true, description: "Its account's name, app and owner, visible to every member." })
  async account(@Root() step: StepType, @Ctx() context: RequestContext): Promise<StepAccountSummary | null> {
    const resolved = await context.services.workflows.accountSubject(context.loaders, step.accountId);
    if (!resolved) return null;
    return Object.assign(new StepAccountSummary(), {
      id: resolved.account.id,
      nickname: resolved.account.nickname,
      appSlug: resolved.account.appSlug,
      ownerMemberId: resolved.account.ownerMemberId,
    });
  }

  @FieldResolver(() => [StepRunType], { description: "Test runs, newest first (logs, errors and exports are readable by every member)." })
  async runs(@Root() step: StepType, @Ctx() context: RequestContext, @Arg("first", () => Int, { nullable: true }) first?: number | null): Promise<StepRunType[]> {
    // The step was reached through a workflow the caller may see; every member reads its runs.
    return (await context.loaders.workflows.runsByStep.load(step.id)).slice(0, Math.max(1, Math.min(first ?? 20, 20))).map(presentStepRun);
  }
}

/** The owner of a step's account. */
@Resolver(() => StepAccountSummary)
export class StepAccountSummaryResolver {
  @FieldResolver(() => MemberType, { nullable: true })
  owner(@Root() summary: StepAccountSummary, @Ctx() context: RequestContext): MemberType | null | Promise<MemberType | null> {
    if (!summary.ownerMemberId) return null;
    return context.loaders.workspaces.memberById.peekThen(summary.ownerMemberId, (member) => (member ? presentMember(member) : null));
  }
}

/** Accounts ↔ workflows: the steps that use an account. */
@Resolver(() => AccountType)
export class AccountUsageResolver {
  @FieldResolver(() => [StepType], { description: "Steps (and through them, workflows) that use this account." })
  steps(@Root() account: AccountType, @Ctx() context: RequestContext): StepType[] | Promise<StepType[]> {
    return context.loaders.workflows.stepsByAccount.peekThen(account.id, (steps) => steps.map(presentStep));
  }
}

/** Federation: Workflow and Step references (NOT_FOUND outside the caller's workspaces). */
export async function resolveWorkflowReference(ref: { id: string }, context: RequestContext): Promise<WorkflowType> {
  return presentWorkflow(await context.services.workflows.getWorkflow(context.loaders, ref.id));
}

export async function resolveStepReference(ref: { id: string }, context: RequestContext): Promise<StepType> {
  return presentStep((await context.services.workflows.getStep(context.loaders, ref.id)).step);
}

