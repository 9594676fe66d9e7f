/**
 * The access matrix of SPEC §3, as data. Rows are operations on a connected account; columns are
 * whether the account is shared with the viewer (a grant to the whole workspace or to them) and
 * whether the viewer is a workspace OWNER/ADMIN ("admin") or another member. The owner of an
 * account may always do everything and is not in the table. `Record<AccountOperation, …>` makes a
 * missing operation a compile error.
 */
export const ACCOUNT_OPERATIONS = [
  "view",
  "use",
  "modifySteps",
  "testSteps",
  "manageAccess",
  "reconnect",
  "rename",
  "delete",
  "readCredentials",
] as const;

/** One operation on an account. */
export type AccountOperation = (typeof ACCOUNT_OPERATIONS)[number];

/** Allowed for a workspace OWNER/ADMIN, and for another member. */
export interface MatrixCell {
  admin: boolean;
  member: boolean;
}

/** One row of the matrix. */
export interface MatrixRow {
  notShared: MatrixCell;
  shared: MatrixCell;
}

const yes = true;
const no = false;

// prettier-ignore
export const ACCOUNT_MATRIX: Record<AccountOperation, MatrixRow> = {
  //                       not shared with viewer             shared with viewer
  //                       OWNER/ADMIN   other MEMBER         OWNER/ADMIN   other MEMBER
  view:            { notShared: { admin: yes, member: no }, shared: { admin: yes, member: yes } },
  use:             { notShared: { admin: no,  member: no }, shared: { admin: yes, member: yes } },
  modifySteps:     { notShared: { admin: no,  member: no }, shared: { admin: yes, member: yes } },
  testSteps:       { notShared: { admin: yes, member: yes }, shared: { admin: yes, member: yes } },
  manageAccess:    { notShared: { admin: no,  member: no }, shared: { admin: no,  member: no  } },
  reconnect:       { notShared: { admin: no,  member: no }, shared: { admin: no,  member: no  } },
  rename:          { notShared: { admin: no,  member: no }, shared: { admin: no,  member: no  } },
  delete:          { notShared: { admin: yes, member: no }, shared: { admin: yes, member: no  } },
  readCredentials: { notShared: { admin: no,  member: no }, shared: { admin: yes, member: yes } },
};

/**
 * Operations the workspace setting `adminsManageAccess` also gives OWNER/ADMIN on accounts owned
 * by someone else (the later behaviour of the reference product; off by default).
 */
export const ADMIN_SETTING_OPERATIONS: readonly AccountOperation[] = ["manageAccess", "reconnect", "rename"];
