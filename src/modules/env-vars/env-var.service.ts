import type { DataSource, EntityManager } from "typeorm";
import { Sealer, type SealContext } from "../../crypto/sealer";
import { newId } from "../../db/ids";
import { inTransaction, lockRow } from "../../db/transactions";
import { badInput, forbidden, notFound } from "../../errors/app-error";
import { cleanOptionalText } from "../../validation/text";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { EnvVarEntity } from "./env-var.entity";

const TABLE = "workspace_env_vars";

/** Names: a letter or `_`, then letters, digits, `_`; at most 128 characters. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Names the service keeps for itself (compared case-insensitively). */
export const RESERVED_ENV_PREFIX = "CA_";
/** Largest value, in bytes of UTF-8. */
export const MAX_ENV_VALUE_BYTES = 65536;
export const MAX_ENV_DESCRIPTION = 500;

/** Input of setEnvironmentVariable. */
export interface SetEnvVarCommand {
  workspaceId: string;
  name: string;
  value: string;
  secret?: boolean | null;
  description?: string | null;
}

/** What a step run needs: every value by name, and the secret ones' values to redact from output. */
export interface EnvForRun {
  values: Record<string, string>;
  secrets: string[];
}

/**
 * Workspace environment variables. Any member lists them (secret values never leave the service);
 * OWNER/ADMIN set and delete them. Names are unique per workspace regardless of case (MariaDB
 * compares them that way; SQLite is made to agree), and setting an existing name replaces it.
 */
export class EnvVarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceService,
    private readonly sealer: Sealer,
  ) {}

  /** A workspace's variables, by name (any member). Secret values stay sealed: callers must not show them. */
  async list(loaders: WorkspaceLoaders, workspaceId: string): Promise<EnvVarEntity[]> {
    await this.workspaces.requireMembership(loaders, workspaceId);
    const rows = await this.dataSource.getRepository(EnvVarEntity).find({ where: { workspaceId } });
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates or replaces a variable by name (OWNER/ADMIN). Validates everything before writing anything. */
  async set(loaders: WorkspaceLoaders, command: SetEnvVarCommand): Promise<EnvVarEntity> {
    await this.requireManager(loaders, command.workspaceId);
    const name = validName(command.name);
    const value = validValue(command.value);
    const description = validDescription(command.description);
    const secret = command.secret ?? true;
    if (secret && Sealer.isSealed(value)) throw badInput("value must not be a sealed envelope.", "value");
    return inTransaction(this.dataSource, async (manager) => {
      // Serializes writers per workspace, so two concurrent sets of one name update one row.
      if (!(await lockRow(manager, "workspaces", command.workspaceId))) throw notFound("Workspace");
      const repo = manager.getRepository(EnvVarEntity);
      const now = new Date();
      const existing = await findByName(manager, command.workspaceId, name);
      const variable =
        existing ??
        Object.assign(new EnvVarEntity(), { id: newId(), workspaceId: command.workspaceId, createdAt: now });
      Object.assign(variable, {
        name,
        secret,
        description,
        value: secret ? this.sealer.seal(value, sealContext(variable)) : value,
        updatedAt: now,
      });
      if (existing) await repo.update({ id: variable.id }, { name, secret, description, value: variable.value, updatedAt: now });
      else await repo.insert(variable);
      return variable;
    });
  }

  /** Deletes a variable by name (OWNER/ADMIN); NOT_FOUND when there is none. */
  async delete(loaders: WorkspaceLoaders, workspaceId: string, name: string): Promise<EnvVarEntity> {
    await this.requireManager(loaders, workspaceId);
    const variable = typeof name === "string" && ENV_VAR_NAME.test(name) ? await findByName(this.dataSource.manager, workspaceId, name) : null;
    if (!variable) throw notFound("Environment variable");
    await this.dataSource.getRepository(EnvVarEntity).delete({ id: variable.id });
    return variable;
  }

  /**
   * Every variable of a workspace, opened, for a step run (no caller check: the run was
   * authorized already). `secrets` lists the non-empty values of secret variables, to redact
   * them from anything the run shows.
   */
  async resolveForRun(workspaceId: string): Promise<EnvForRun> {
    const rows = await this.dataSource.getRepository(EnvVarEntity).find({ where: { workspaceId } });
    const values: Record<string, string> = Object.create(null) as Record<string, string>;
    const secrets: string[] = [];
    for (const row of rows) {
      const value = row.secret ? this.sealer.open(row.value, sealContext(row)) : row.value;
      values[row.name] = value;
      if (row.secret && value !== "" && !secrets.includes(value)) secrets.push(value);
    }
    return { values: { ...values }, secrets };
  }

  private async requireManager(loaders: WorkspaceLoaders, workspaceId: string): Promise<void> {
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins manage environment variables.");
  }
}

function sealContext(variable: Pick<EnvVarEntity, "id" | "workspaceId">): SealContext {
  return { workspaceId: variable.workspaceId, table: TABLE, rowId: variable.id, field: "value" };
}

// Names are ASCII, so comparing upper-cased copies is exact; the result agrees with MariaDB's
// case-insensitive collation (and its unique index) on SQLite as well.
async function findByName(manager: EntityManager, workspaceId: string, name: string): Promise<EnvVarEntity | null> {
  return manager
    .getRepository(EnvVarEntity)
    .createQueryBuilder("v")
    .where("v.workspaceId = :workspaceId", { workspaceId })
    .andWhere("UPPER(v.name) = :name", { name: name.toUpperCase() })
    .getOne();
}

function validName(name: unknown): string {
  if (typeof name !== "string" || !ENV_VAR_NAME.test(name)) {
    throw badInput("name must start with a letter or _, use only letters, digits and _, and be at most 128 characters.", "name");
  }
  if (name.toUpperCase().startsWith(RESERVED_ENV_PREFIX)) {
    throw badInput(`Names starting with ${RESERVED_ENV_PREFIX} are reserved.`, "name");
  }
  return name;
}

function validValue(value: unknown): string {
  if (typeof value !== "string") throw badInput("value must be a string.", "value");
  if (Buffer.byteLength(value, "utf8") > MAX_ENV_VALUE_BYTES) {
    throw badInput(`value is larger than ${MAX_ENV_VALUE_BYTES} bytes.`, "value");
  }
  return value;
}

// One line people read in the variables list: no control, bidi or invisible characters.
const validDescription = (description: string | null | undefined): string | null => cleanOptionalText(description, "description", MAX_ENV_DESCRIPTION, "name");
