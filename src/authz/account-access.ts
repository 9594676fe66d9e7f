import { forbidden, notFound } from "../errors/app-error";
import { WORKSPACE_GRANTEE, type WorkspaceRole } from "./vocabulary";
import { ACCOUNT_MATRIX, ACCOUNT_OPERATIONS, ADMIN_SETTING_OPERATIONS, type AccountOperation } from "./account-matrix";

/** Who is looking: a member of a workspace, with the workspace's setting. */
export interface AccountViewer {
  workspaceId: string;
  memberId: string;
  role: WorkspaceRole;
  adminsManageAccess: boolean;
}

/** What the matrix needs to know about an account. */
export interface AccountSubject {
  workspaceId: string;
  ownerMemberId: string | null;
  /** Grantee keys of its grants: `workspace` and/or member ids. */
  grantees: readonly string[];
  /** Whether the account's external identity (or key fingerprint) is known, so a claim can be verified. */
  identityKnown: boolean;
}

/** The viewer's answer for every operation. */
export type AccountCapabilities = Record<AccountOperation, boolean>;

const NOTHING = Object.freeze(Object.fromEntries(ACCOUNT_OPERATIONS.map((op) => [op, false])) as AccountCapabilities);
const EVERYTHING = Object.freeze(Object.fromEntries(ACCOUNT_OPERATIONS.map((op) => [op, true])) as AccountCapabilities);

/** "Shared with the viewer": a grant to the whole workspace, or to this member. */
export function isSharedWith(subject: AccountSubject, viewer: AccountViewer): boolean {
  return subject.grantees.includes(WORKSPACE_GRANTEE) || subject.grantees.includes(viewer.memberId);
}

/** Whether the account is shared with the entire workspace (the legacy V1 builder's condition). */
export function isSharedWithWorkspace(subject: AccountSubject): boolean {
  return subject.grantees.includes(WORKSPACE_GRANTEE);
}

/**
 * Every capability of a viewer on an account: the one function both the API's `viewerCan` flags
 * and the enforcement below use, so the two cannot disagree. The answer is a shared, frozen
 * object: it depends on five facts only (see `answerFor`), so lists of any length reuse at most
 * 32 answers instead of building one per row.
 */
export function accountCapabilities(viewer: AccountViewer | null, subject: AccountSubject): AccountCapabilities {
  if (!viewer || viewer.workspaceId !== subject.workspaceId) return NOTHING;
  if (subject.ownerMemberId !== null && subject.ownerMemberId === viewer.memberId) return EVERYTHING;
  const facts: Facts = {
    isAdmin: viewer.role === "OWNER" || viewer.role === "ADMIN",
    shared: isSharedWith(subject, viewer),
    ownerless: subject.ownerMemberId === null,
    adminsManageAccess: viewer.adminsManageAccess,
    identityKnown: subject.identityKnown,
  };
  const key = +facts.isAdmin | (+facts.shared << 1) | (+facts.ownerless << 2) | (+facts.adminsManageAccess << 3) | (+facts.identityKnown << 4);
  let answer = ANSWERS.get(key);
  if (!answer) ANSWERS.set(key, (answer = Object.freeze(answerFor(facts))));
  return answer;
}

/** What the matrix needs to know about a viewer who does not own the account. */
interface Facts {
  isAdmin: boolean;
  shared: boolean;
  ownerless: boolean;
  adminsManageAccess: boolean;
  identityKnown: boolean;
}

const ANSWERS = new Map<number, AccountCapabilities>();

function answerFor({ isAdmin, shared, ownerless, adminsManageAccess, identityKnown }: Facts): AccountCapabilities {
  const column = shared ? "shared" : "notShared";
  const caps = Object.fromEntries(
    ACCOUNT_OPERATIONS.map((op) => [op, ACCOUNT_MATRIX[op][column][isAdmin ? "admin" : "member"]]),
  ) as AccountCapabilities;

  if (!ownerless) {
    if (isAdmin && adminsManageAccess) for (const op of ADMIN_SETTING_OPERATIONS) caps[op] = true;
    return caps;
  }
  // Legacy (ownerless) accounts: nobody manages access until someone claims the account by
  // reconnecting it; any member who can see it may claim it when its identity can be verified,
  // only OWNER/ADMIN when it cannot; OWNER/ADMIN rename it.
  caps.manageAccess = false;
  caps.reconnect = caps.view && (identityKnown || isAdmin);
  caps.rename = caps.view && isAdmin;
  return caps;
}

/**
 * Enforces one operation: NOT_FOUND when the viewer may not even see the account, FORBIDDEN when
 * they may see it but not do this.
 */
export function authorizeAccount(viewer: AccountViewer | null, subject: AccountSubject, operation: AccountOperation): void {
  const caps = accountCapabilities(viewer, subject);
  if (!caps.view) throw notFound("Account");
  if (!caps[operation]) throw forbidden(`You may not ${describe(operation)} this account.`, { operation });
}

function describe(operation: AccountOperation): string {
  switch (operation) {
    case "manageAccess":
      return "manage access to";
    case "readCredentials":
      return "read the credentials of";
    case "modifySteps":
      return "modify steps that use";
    case "testSteps":
      return "test steps that use";
    default:
      return operation;
  }
}
