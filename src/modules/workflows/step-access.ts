import { accountCapabilities, isSharedWithWorkspace, type AccountSubject, type AccountViewer } from "../../authz/account-access";
import type { BuilderVersion } from "./workflow.entity";

/** Why a step is read-only for the viewer. */
export type ReadOnlyReason = "ACCOUNT_NOT_SHARED" | "V1_REQUIRES_WORKSPACE_SHARE";

/** What the viewer may do with a step (SPEC §3, "collaborating without access"). */
export interface StepCapabilities {
  /** Modify props and code (and remove the step). */
  edit: boolean;
  /** Test the step; every member may. */
  test: boolean;
  readOnlyReason: ReadOnlyReason | null;
}

/**
 * The viewer's capabilities on a step, from the matrix row of its account: editing needs "modify
 * existing steps" on the account, and in a V1 (legacy builder) workflow an account shared with the
 * entire workspace, even for its owner. Steps without an account are open to every member.
 */
export function stepCapabilities(viewer: AccountViewer, builder: BuilderVersion, account: AccountSubject | null): StepCapabilities {
  if (!account) return { edit: true, test: true, readOnlyReason: null };
  const caps = accountCapabilities(viewer, account);
  if (!caps.modifySteps) return { edit: false, test: caps.testSteps, readOnlyReason: "ACCOUNT_NOT_SHARED" };
  if (builder === "V1" && !isSharedWithWorkspace(account)) return { edit: false, test: caps.testSteps, readOnlyReason: "V1_REQUIRES_WORKSPACE_SHARE" };
  return { edit: true, test: caps.testSteps, readOnlyReason: null };
}

/** Whether the viewer may attach the account to a new or existing step of a workflow of this builder. */
export function canAttachAccount(viewer: AccountViewer, builder: BuilderVersion, account: AccountSubject): boolean {
  return accountCapabilities(viewer, account).use && (builder === "V2" || isSharedWithWorkspace(account));
}
