/** Workspace roles, strongest first. */
export const WORKSPACE_ROLES = ["OWNER", "ADMIN", "MEMBER"] as const;
/** A member's role in its workspace. */
export type WorkspaceRole = (typeof WORKSPACE_ROLES)[number];

/** The grantee key of a grant to the whole workspace (member grants use the member id). */
export const WORKSPACE_GRANTEE = "workspace";
