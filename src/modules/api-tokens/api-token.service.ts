import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { In, IsNull, type DataSource } from "typeorm";
import type { Principal } from "../../auth/principal";
import { newId } from "../../db/ids";
import { authFailure } from "../../auth/token-verifier";
import { badInput, forbidden, notFound } from "../../errors/app-error";
import { cleanName } from "../../validation/text";
import { MemberEntity } from "../workspaces/member.entity";
import type { WorkspaceLoaders } from "../workspaces/workspace.loaders";
import type { WorkspaceService } from "../workspaces/workspace.service";
import { API_TOKEN_SCOPES, ApiTokenEntity, type ApiTokenScope } from "./api-token.entity";

/** The shape of a personal API token: `cat_<8 prefix chars>_<43 secret chars>`. */
export const API_TOKEN_PATTERN = /^cat_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

/** Personal API tokens: created (shown once), listed, revoked, and checked on every request. */
export class ApiTokenService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly workspaces: WorkspaceService,
    /** Tells every instance a token was revoked, so connections it opened close at once. */
    private readonly announceRevoked: (apiTokenId: string) => void = () => undefined,
  ) {}

  /** Creates a token for the caller in a workspace; the token itself is returned this once only. */
  async create(
    principal: Principal,
    loaders: WorkspaceLoaders,
    input: { workspaceId: string; name: string; scope?: ApiTokenScope | null; expiresInDays?: number | null },
  ): Promise<{ token: string; entity: ApiTokenEntity }> {
    if (principal.apiToken) throw forbidden("API tokens cannot create API tokens; sign in.");
    const membership = await this.workspaces.requireMembership(loaders, input.workspaceId);
    const name = cleanName(input.name, "name");
    const scope = input.scope ?? "FULL";
    if (!(API_TOKEN_SCOPES as readonly string[]).includes(scope)) throw badInput("Unknown scope.", "scope");
    if (input.expiresInDays !== undefined && input.expiresInDays !== null && (input.expiresInDays < 1 || input.expiresInDays > 3650)) {
      throw badInput("expiresInDays must be between 1 and 3650.", "expiresInDays");
    }
    const prefix = `cat_${Array.from(randomBytes(8), (b) => ALPHANUM[b % ALPHANUM.length]).join("")}`;
    const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
    const entity = Object.assign(new ApiTokenEntity(), {
      id: newId(),
      workspaceId: input.workspaceId,
      memberId: membership.id,
      name,
      prefix,
      last4: token.slice(-4),
      hash: sha256(token),
      scope,
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86400_000) : null,
      revokedAt: null,
      createdAt: new Date(),
    });
    await this.dataSource.getRepository(ApiTokenEntity).insert(entity);
    return { token, entity };
  }

  /** The caller's tokens in a workspace (never the tokens themselves). */
  async list(loaders: WorkspaceLoaders, workspaceId: string): Promise<ApiTokenEntity[]> {
    const membership = await this.workspaces.requireMembership(loaders, workspaceId);
    return this.dataSource.getRepository(ApiTokenEntity).find({ where: { memberId: membership.id }, order: { id: "DESC" } });
  }

  /** Revokes one of the caller's tokens (or, for OWNER/ADMIN, any token of the workspace). */
  async revoke(loaders: WorkspaceLoaders, id: string): Promise<ApiTokenEntity> {
    const repo = this.dataSource.getRepository(ApiTokenEntity);
    const token = await repo.findOneBy({ id });
    const membership = token ? await loaders.viewerMembership.load(token.workspaceId) : null;
    if (!token || !membership) throw notFound("API token");
    if (token.memberId !== membership.id && membership.role === "MEMBER") throw notFound("API token");
    if (!token.revokedAt) {
      token.revokedAt = new Date();
      await repo.update({ id }, { revokedAt: token.revokedAt });
      this.announceRevoked(token.id);
    }
    return token;
  }

  /** The principal a presented API token stands for; UNAUTHENTICATED for unknown, revoked or expired ones. */
  async authenticate(presented: string): Promise<Principal> {
    const match = API_TOKEN_PATTERN.exec(presented);
    if (!match) throw authFailure("MALFORMED", "The API token is malformed: expected cat_ followed by 8 and 43 characters.");
    const token = await this.dataSource.getRepository(ApiTokenEntity).findOneBy({ prefix: `cat_${match[1]}` });
    const expected = Buffer.from(token?.hash ?? "0".repeat(64), "utf8");
    const actual = Buffer.from(sha256(presented), "utf8");
    if (!token || !timingSafeEqual(expected, actual)) throw authFailure("UNKNOWN_TOKEN", "The API token is not valid.");
    if (token.revokedAt) throw authFailure("REVOKED", "The API token has been revoked.");
    if (token.expiresAt && token.expiresAt.getTime() < Date.now()) throw authFailure("EXPIRED", "The API token has expired.");
    const member = await this.dataSource.getRepository(MemberEntity).findOneBy({ id: token.memberId });
    if (!member) throw authFailure("MEMBER_LEFT", "The API token's member has left the workspace.");
    return {
      userId: member.userId,
      displayName: member.displayName,
      email: member.email,
      via: "api-token",
      apiToken: { id: token.id, workspaceId: token.workspaceId, scope: token.scope },
      ...(token.expiresAt ? { expiresAt: token.expiresAt.getTime() } : {}),
    };
  }

  /**
   * Which of these tokens would still authenticate: not revoked, not expired, their member still
   * in the workspace. One statement for all of them (open WebSocket connections are re-checked
   * with it, in case a revocation notice from another instance was lost).
   */
  async stillValid(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const tokens = await this.dataSource.getRepository(ApiTokenEntity).find({ where: { id: In([...ids]), revokedAt: IsNull() } });
    const now = Date.now();
    const live = tokens.filter((t) => !t.expiresAt || t.expiresAt.getTime() >= now);
    const members = live.length ? await this.dataSource.getRepository(MemberEntity).find({ where: { id: In(live.map((t) => t.memberId)) }, select: { id: true } }) : [];
    const present = new Set(members.map((m) => m.id));
    return new Set(live.filter((t) => present.has(t.memberId)).map((t) => t.id));
  }
}
