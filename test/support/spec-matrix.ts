/**
 * SPEC §3 as the tests read it: the printed table, literally, and the rules under it. The tests
 * derive their expected answers from this, independently of the code's own table.
 */
import type { AccountOperation } from "../../src/authz/account-matrix";

// The matrix exactly as SPEC §3 prints it (not-shared: OWNER/ADMIN, MEMBER | shared: OWNER/ADMIN, MEMBER).
// Rename is not a row of the printed table: "Rename follows the owner".
const Y = true;
const N = false;
export const SPEC_TABLE: Record<AccountOperation, [boolean, boolean, boolean, boolean]> = {
  view: [Y, N, Y, Y],
  use: [N, N, Y, Y],
  modifySteps: [N, N, Y, Y],
  testSteps: [Y, Y, Y, Y],
  manageAccess: [N, N, N, N],
  reconnect: [N, N, N, N],
  rename: [N, N, N, N],
  delete: [Y, N, Y, N],
  readCredentials: [N, N, Y, Y],
};

export const VIEWERS = ["accountOwner", "OWNER", "ADMIN", "MEMBER", "MEMBER_WITH_GRANT", "outsider"] as const;
export type ViewerKind = (typeof VIEWERS)[number];
export const ACCOUNTS = ["private", "workspace", "viewer", "otherMember", "legacy"] as const;
export type AccountKind = (typeof ACCOUNTS)[number];

/** The answer SPEC §3 (and the rules under it) gives for one cell. */
export function expected(viewer: ViewerKind, kind: AccountKind, op: AccountOperation, adminsManageAccess: boolean): boolean {
  if (viewer === "outsider") return false;
  if (viewer === "accountOwner" && kind !== "legacy") return true;
  const isAdmin = viewer === "OWNER" || viewer === "ADMIN";
  // "Shared with the viewer": a workspace grant, or a grant to them. The MEMBER_WITH_GRANT viewer
  // holds a personal grant on every account; "viewer" kinds are shared with whoever looks.
  const shared = kind === "workspace" || kind === "legacy" || kind === "viewer" || viewer === "MEMBER_WITH_GRANT";
  const [nsAdmin, nsMember, sAdmin, sMember] = SPEC_TABLE[op];
  const base = shared ? (isAdmin ? sAdmin : sMember) : isAdmin ? nsAdmin : nsMember;
  if (kind === "legacy") {
    const view = expected(viewer, "workspace", "view", adminsManageAccess);
    if (op === "manageAccess") return false; // claim (reconnect) first
    if (op === "reconnect") return view; // identity known here: any member who sees it may claim
    if (op === "rename") return view && isAdmin;
    return base;
  }
  if (adminsManageAccess && isAdmin && (op === "manageAccess" || op === "reconnect" || op === "rename")) return true;
  return base;
}

