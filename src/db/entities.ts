import { MemberEntity } from "../modules/workspaces/member.entity";
import { WorkspaceEntity } from "../modules/workspaces/workspace.entity";

/** Every entity of the service, listed as classes (TypeORM 1.x), one set for every database. */
export const ENTITIES = [WorkspaceEntity, MemberEntity];
