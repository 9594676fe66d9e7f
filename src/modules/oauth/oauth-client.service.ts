import type { DataSource } from "typeorm";
import type { Sealer } from "../../crypto/sealer";
import { newId } from "../../db/ids";
import { badInput, forbidden, notFound } from "../../errors/app-error";
import { cleanName } from "../../validation/text";
import type { AppCatalogService } from "../apps/app-catalog.service";
import type { AppDefinition } from "../apps/app-definition";
import { WORKSPACE_POLICY } from "../workspaces/workspace.policy";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { OAuthClientEntity, OAuthClientHealthEntity, type OAuthClientStatus } from "./oauth-client.entity";
import type { ClientCredentials } from "./token-endpoint";

/** The client a flow or refresh uses, with what to request. */
export interface ResolvedClient extends ClientCredentials {
  /** The workspace client's id, or null for the service's default client. */
  oauthClientId: string | null;
  scopes: string[] | null;
  /** The workspace client's standing as read with it; null for the default client (see `mayBeMisconfigured`). */
  status: OAuthClientStatus | null;
}

/** Input of registerOAuthClient / updateOAuthClient. */
export interface OAuthClientCommand {
  name?: string | null;
  clientId?: string | null;
  clientSecret?: string | null;
  scopes?: string[] | null;
}

const TABLE = "oauth_clients";

// How old the snapshot of flagged default clients may be. A successful refresh clears a flag it
// knows about; a flag set by another instance within this window is cleared by the next success
// after it (and always by the success of an account that was CLIENT_MISCONFIGURED).
const FLAGGED_DEFAULTS_TTL_MS = 2000;

/** OAuth clients: the service's defaults (configuration) and workspaces' own, with their health. */
export class OAuthClientService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly apps: AppCatalogService,
    private readonly workspaces: WorkspaceService,
    private readonly sealer: Sealer,
    private readonly defaults: Readonly<Record<string, { clientId: string; clientSecret: string }>>,
  ) {}

  // App slugs whose default client is flagged MISCONFIGURED, read at most every FLAGGED_DEFAULTS_TTL_MS.
  private flaggedDefaults: { slugs: Promise<Set<string>>; readAt: number } | undefined;

  /** The credentials to talk to an app's provider as, for a workspace. */
  async resolve(workspaceId: string, app: AppDefinition, oauthClientId: string | null): Promise<ResolvedClient> {
    if (oauthClientId) {
      const client = await this.dataSource.getRepository(OAuthClientEntity).findOneBy({ id: oauthClientId, workspaceId });
      if (!client || client.appSlug !== app.slug) throw notFound("OAuth client");
      return {
        oauthClientId: client.id,
        clientId: client.clientId,
        clientSecret: this.sealer.open(client.clientSecret, { workspaceId, table: TABLE, rowId: client.id, field: "client_secret" }),
        scopes: JSON.parse(client.scopes) as string[],
        status: client.status,
      };
    }
    const configured = this.defaults[app.slug];
    if (!configured) throw badInput(`No OAuth client is configured for ${app.name}; register one for the workspace.`, "oauthClientId");
    return { oauthClientId: null, ...configured, scopes: null, status: null };
  }

  /**
   * Whether a client a refresh just used may be flagged MISCONFIGURED, so that a success writes
   * ACTIVE only when the standing changes instead of on every refresh. A workspace client's status
   * came with it; the default clients' flags come from a shared snapshot (one small read per period).
   */
  async mayBeMisconfigured(appSlug: string, client: ResolvedClient): Promise<boolean> {
    if (client.oauthClientId) return client.status !== "ACTIVE";
    const now = Date.now();
    if (!this.flaggedDefaults || now - this.flaggedDefaults.readAt > FLAGGED_DEFAULTS_TTL_MS) {
      const slugs = this.dataSource
        .getRepository(OAuthClientHealthEntity)
        .find({ select: { appSlug: true }, where: { status: "MISCONFIGURED" } })
        .then((rows) => new Set(rows.map((r) => r.appSlug)));
      this.flaggedDefaults = { slugs, readAt: now };
      // A failed read is not cached: the next caller tries again.
      slugs.catch(() => (this.flaggedDefaults = undefined));
    }
    return (await this.flaggedDefaults.slugs).has(appSlug);
  }

  /** Records that a provider rejected a client (invalid_client): the client is misconfigured, not the accounts. */
  async markMisconfigured(appSlug: string, oauthClientId: string | null, reason: string): Promise<void> {
    await this.setStatus(appSlug, oauthClientId, "MISCONFIGURED", reason);
  }

  /** Records that a client works again. */
  async markHealthy(appSlug: string, oauthClientId: string | null): Promise<void> {
    await this.setStatus(appSlug, oauthClientId, "ACTIVE", null);
  }

  /** Whether a client is currently known to be rejected by its provider (batched by the caller if needed). */
  async isMisconfigured(appSlug: string, oauthClientId: string | null): Promise<boolean> {
    if (oauthClientId) {
      return (await this.dataSource.getRepository(OAuthClientEntity).findOneBy({ id: oauthClientId }))?.status === "MISCONFIGURED";
    }
    return (await this.dataSource.getRepository(OAuthClientHealthEntity).findOneBy({ appSlug }))?.status === "MISCONFIGURED";
  }

  private async setStatus(appSlug: string, oauthClientId: string | null, status: "ACTIVE" | "MISCONFIGURED", reason: string | null) {
    const updatedAt = new Date();
    if (!oauthClientId) {
      // Keep this instance's snapshot in step with its own writes.
      void this.flaggedDefaults?.slugs.then((slugs) => (status === "MISCONFIGURED" ? slugs.add(appSlug) : slugs.delete(appSlug)), () => undefined);
    }
    if (oauthClientId) {
      await this.dataSource.getRepository(OAuthClientEntity).update({ id: oauthClientId }, { status, lastError: reason, updatedAt });
      return;
    }
    const repo = this.dataSource.getRepository(OAuthClientHealthEntity);
    const changed = await repo.update({ appSlug }, { status, lastError: reason, updatedAt });
    if (!changed.affected && status === "MISCONFIGURED") {
      await repo.upsert({ appSlug, status, lastError: reason, updatedAt }, ["appSlug"]);
    }
  }

  /** A workspace's own clients (OWNER/ADMIN). */
  async list(loaders: WorkspaceLoaders, workspaceId: string): Promise<OAuthClientEntity[]> {
    await this.requireManager(loaders, workspaceId);
    return this.dataSource.getRepository(OAuthClientEntity).find({ where: { workspaceId }, order: { id: "ASC" } });
  }

  /** Registers a workspace client for an OAuth app (OWNER/ADMIN). The secret is sealed and never shown again. */
  async register(loaders: WorkspaceLoaders, workspaceId: string, appSlug: string, command: OAuthClientCommand) {
    await this.requireManager(loaders, workspaceId);
    const app = this.apps.get(appSlug);
    if (app.authType !== "OAUTH2") throw badInput(`${app.name} does not use OAuth.`, "appSlug");
    const clientId = cleanName(command.clientId, "clientId", 255);
    const clientSecret = required(command.clientSecret, "clientSecret", 4096);
    const now = new Date();
    const id = newId();
    const client = Object.assign(new OAuthClientEntity(), {
      id,
      workspaceId,
      appSlug: app.slug,
      name: command.name?.trim() ? cleanName(command.name, "name") : `${app.name} client`,
      clientId,
      clientSecret: this.sealer.seal(clientSecret, { workspaceId, table: TABLE, rowId: id, field: "client_secret" }),
      scopes: JSON.stringify(cleanScopes(command.scopes ?? app.oauth?.defaultScopes ?? [])),
      status: "ACTIVE" as const,
      lastError: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.dataSource.getRepository(OAuthClientEntity).insert(client);
    return client;
  }

  /** Changes a workspace client; scopes take effect at the next connect or reconnect. */
  async update(loaders: WorkspaceLoaders, id: string, command: OAuthClientCommand): Promise<OAuthClientEntity> {
    const repo = this.dataSource.getRepository(OAuthClientEntity);
    const client = await repo.findOneBy({ id });
    if (!client || !(await loaders.viewerMembership.load(client.workspaceId))) throw notFound("OAuth client");
    await this.requireManager(loaders, client.workspaceId);
    if (command.name !== undefined && command.name !== null) client.name = cleanName(command.name, "name");
    if (command.clientId !== undefined && command.clientId !== null) client.clientId = cleanName(command.clientId, "clientId", 255);
    if (command.clientSecret !== undefined && command.clientSecret !== null) {
      client.clientSecret = this.sealer.seal(required(command.clientSecret, "clientSecret", 4096), {
        workspaceId: client.workspaceId,
        table: TABLE,
        rowId: client.id,
        field: "client_secret",
      });
    }
    if (command.scopes) client.scopes = JSON.stringify(cleanScopes(command.scopes));
    // New credentials deserve a new chance with the provider.
    if (command.clientId || command.clientSecret) {
      client.status = "ACTIVE";
      client.lastError = null;
    }
    client.updatedAt = new Date();
    await repo.save(client);
    return client;
  }

  /** Deletes a workspace client; accounts connected with it keep working until their next refresh fails. */
  async delete(loaders: WorkspaceLoaders, id: string): Promise<OAuthClientEntity> {
    const repo = this.dataSource.getRepository(OAuthClientEntity);
    const client = await repo.findOneBy({ id });
    if (!client || !(await loaders.viewerMembership.load(client.workspaceId))) throw notFound("OAuth client");
    await this.requireManager(loaders, client.workspaceId);
    await repo.delete({ id });
    return client;
  }

  private async requireManager(loaders: WorkspaceLoaders, workspaceId: string): Promise<void> {
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    if (!WORKSPACE_POLICY[membership.role].manageWorkspace) throw forbidden("Only owners and admins manage OAuth clients.");
  }
}

function required(value: string | null | undefined, field: string, max: number): string {
  const clean = value?.trim() ?? "";
  if (!clean) throw badInput(`${field} must not be empty.`, field);
  if (clean.length > max) throw badInput(`${field} is too long.`, field);
  return clean;
}

/** Scopes as a clean, de-duplicated list (each printable, no spaces). */
export function cleanScopes(scopes: readonly string[]): string[] {
  const clean = [...new Set(scopes.map((s) => s.trim()).filter(Boolean))];
  for (const scope of clean) if (!/^[\x21-\x7e]{1,200}$/.test(scope)) throw badInput(`"${scope.slice(0, 40)}" is not a valid scope.`, "scopes");
  return clean;
}
