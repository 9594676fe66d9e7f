/**
 * Baseline of the accounts-list benchmark: what the accounts list costs when written by hand.
 * Bare node:http + graphql-js, a hand-written schema of just what the benchmark's query reads
 * (same field names, same response shape), parse/validate cached per query text, and set-based SQL
 * through mysql2: one statement per level (the viewer's membership with its workspace, the
 * accounts page, their grants, the steps using them with their workflows, then every member the
 * page names). Capabilities come from the project's own pure functions (src/authz/account-access),
 * once per account. Bearer JWTs are verified against the dev key, and remembered like the service
 * does. Runs as a child process; prints its port on stdout.
 *
 *   DATABASE_URL=mysql://… DEV_KEY_PATH=… node dist/bench/baselines/accounts-list-server.js
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, execute, GraphQLObjectType, parse, validate, type DocumentNode, type GraphQLFieldResolver } from "graphql";
import { jwtVerify } from "jose";
import mysql from "mysql2/promise";
import { DEV_ISSUER, loadOrCreateDevKey } from "../../src/auth/dev-keys";
import { accountCapabilities, isSharedWith, type AccountSubject, type AccountViewer } from "../../src/authz/account-access";
import { decodeCursor, encodeCursor, pageSizeOf } from "../../src/db/pagination";

const SDL = `
  scalar DateTimeISO
  enum AccountSharedState { PRIVATE WORKSPACE MEMBERS }
  enum AccountHealthStatus { HEALTHY NEEDS_RECONNECT DEGRADED CLIENT_MISCONFIGURED }
  enum StepKind { TRIGGER ACTION CODE HTTP_REQUEST }
  input PageInput { first: Int, after: String }
  type Query { accounts(workspaceId: ID!, page: PageInput): AccountConnection! }
  type AccountConnection { nodes: [Account!]! pageInfo: PageInfo! }
  type PageInfo { endCursor: String hasNextPage: Boolean! }
  type Account {
    id: ID! nickname: String! appSlug: String! isLegacy: Boolean! createdAt: DateTimeISO!
    shared: AccountSharedState! sharedWithViewer: Boolean!
    health: AccountHealth! owner: Member grants: [AccountGrant!]! viewerCan: AccountCapabilities! steps: [Step!]!
  }
  type AccountHealth { status: AccountHealthStatus! expiresAt: DateTimeISO }
  type Member { id: ID! userId: String! displayName: String }
  type AccountGrant { id: ID! wholeWorkspace: Boolean! member: Member }
  type AccountCapabilities {
    view: Boolean! use: Boolean! modifySteps: Boolean! testSteps: Boolean! manageAccess: Boolean!
    reconnect: Boolean! rename: Boolean! delete: Boolean! readCredentials: Boolean!
  }
  type Step { id: ID! name: String! kind: StepKind! workflow: Workflow! }
  type Workflow { id: ID! name: String! }
`;

interface Member {
  id: string;
  userId: string;
  displayName: string | null;
}

async function main(): Promise<void> {
  const pool = mysql.createPool({ uri: process.env.DATABASE_URL!, connectionLimit: 10, timezone: "Z", supportBigNumbers: true });
  const devKey = await loadOrCreateDevKey(process.env.DEV_KEY_PATH!);
  const schema = buildSchema(SDL);
  const select = async <T>(sql: string, params: unknown[]): Promise<T[]> => (await pool.query(sql, params))[0] as T[];

  const accounts: GraphQLFieldResolver<unknown, { userId: string }, { workspaceId: string; page?: { first?: number; after?: string } | null }> = async (_root, args, context) => {
    const size = pageSizeOf(args.page?.first);
    const [membership] = await select<{ id: string; role: AccountViewer["role"]; adminsManageAccess: number }>(
      "SELECT m.id, m.role, w.admins_manage_access adminsManageAccess FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? AND m.workspace_id = ?",
      [context.userId, args.workspaceId],
    );
    if (!membership) throw new Error("Workspace not found.");
    const viewer: AccountViewer = { workspaceId: args.workspaceId, memberId: membership.id, role: membership.role, adminsManageAccess: Boolean(membership.adminsManageAccess) };
    const conditions = ["a.workspace_id = ?"];
    const params: unknown[] = [args.workspaceId];
    if (viewer.role === "MEMBER") {
      conditions.push("(a.owner_member_id = ? OR EXISTS (SELECT 1 FROM account_grants g WHERE g.account_id = a.id AND g.grantee_key IN (?, ?)))");
      params.push(viewer.memberId, "workspace", viewer.memberId);
    }
    if (args.page?.after) {
      conditions.push("a.id < ?");
      params.push(decodeCursor(args.page.after, 1)[0]);
    }
    params.push(size + 1);
    const rows = await select<{
      id: string;
      nickname: string;
      appSlug: string;
      ownerMemberId: string | null;
      externalId: string | null;
      fingerprint: string | null;
      healthStatus: string;
      expiresAt: Date | null;
      createdAt: Date;
    }>(
      `SELECT a.id, a.nickname, a.app_slug appSlug, a.owner_member_id ownerMemberId, a.external_id externalId, a.fingerprint,
              a.health_status healthStatus, a.expires_at expiresAt, a.created_at createdAt
         FROM accounts a WHERE ${conditions.join(" AND ")} ORDER BY a.id DESC LIMIT ?`,
      params,
    );
    const page = rows.slice(0, size);
    const ids = page.map((a) => a.id);
    const [grants, steps] =
      ids.length === 0
        ? [[], []]
        : await Promise.all([
            select<{ id: string; accountId: string; granteeKey: string; memberId: string | null }>(
              "SELECT id, account_id accountId, grantee_key granteeKey, member_id memberId FROM account_grants WHERE account_id IN (?) ORDER BY id",
              [ids],
            ),
            select<{ id: string; accountId: string; name: string; kind: string; workflowId: string; workflowName: string }>(
              "SELECT s.id, s.account_id accountId, s.name, s.kind, w.id workflowId, w.name workflowName FROM steps s JOIN workflows w ON w.id = s.workflow_id WHERE s.account_id IN (?) ORDER BY s.id",
              [ids],
            ),
          ]);
    const memberIds = new Set<string>();
    for (const a of page) if (a.ownerMemberId) memberIds.add(a.ownerMemberId);
    for (const g of grants) if (g.memberId) memberIds.add(g.memberId);
    const members = new Map<string, Member>();
    if (memberIds.size > 0) {
      for (const m of await select<Member>("SELECT id, user_id userId, display_name displayName FROM members WHERE id IN (?)", [[...memberIds]])) members.set(m.id, m);
    }
    const grantsOf = new Map<string, typeof grants>();
    for (const g of grants) grantsOf.set(g.accountId, [...(grantsOf.get(g.accountId) ?? []), g]);
    const stepsOf = new Map<string, typeof steps>();
    for (const s of steps) stepsOf.set(s.accountId, [...(stepsOf.get(s.accountId) ?? []), s]);

    const nodes = page.map((a) => {
      const own = grantsOf.get(a.id) ?? [];
      const subject: AccountSubject = {
        workspaceId: args.workspaceId,
        ownerMemberId: a.ownerMemberId,
        grantees: own.map((g) => g.granteeKey),
        identityKnown: a.externalId !== null || a.fingerprint !== null,
      };
      return {
        id: a.id,
        nickname: a.nickname,
        appSlug: a.appSlug,
        isLegacy: a.ownerMemberId === null,
        createdAt: a.createdAt.toISOString(),
        shared: subject.grantees.includes("workspace") ? "WORKSPACE" : own.length > 0 ? "MEMBERS" : "PRIVATE",
        sharedWithViewer: isSharedWith(subject, viewer),
        health: { status: a.healthStatus, expiresAt: a.expiresAt?.toISOString() ?? null },
        owner: a.ownerMemberId ? (members.get(a.ownerMemberId) ?? null) : null,
        grants: own.map((g) => ({ id: g.id, wholeWorkspace: g.granteeKey === "workspace", member: g.memberId ? (members.get(g.memberId) ?? null) : null })),
        viewerCan: accountCapabilities(viewer, subject),
        steps: (stepsOf.get(a.id) ?? []).map((s) => ({ id: s.id, name: s.name, kind: s.kind, workflow: { id: s.workflowId, name: s.workflowName } })),
      };
    });
    const last = nodes[nodes.length - 1];
    return { nodes, pageInfo: { endCursor: last ? encodeCursor([last.id]) : null, hasNextPage: rows.length > size } };
  };
  (schema.getQueryType() as GraphQLObjectType).getFields().accounts!.resolve = accounts as GraphQLFieldResolver<unknown, unknown>;

  const documents = new Map<string, DocumentNode>();
  const principals = new Map<string, string>();
  const userOf = async (header: string | undefined): Promise<string> => {
    const token = /^Bearer (\S+)$/.exec(header ?? "")?.[1];
    if (!token) throw new Error("unauthenticated");
    let userId = principals.get(token);
    if (!userId) {
      const { payload } = await jwtVerify(token, devKey.publicKey, { issuer: process.env.AUTH_ISSUER ?? DEV_ISSUER, audience: "connected-accounts" });
      userId = payload.sub!;
      principals.set(token, userId);
    }
    return userId;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let status = 200;
        let body: string;
        try {
          const userId = await userOf(req.headers.authorization);
          const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string; variables?: Record<string, unknown> };
          let document = documents.get(request.query);
          if (!document) {
            document = parse(request.query);
            const errors = validate(schema, document);
            if (errors.length > 0) throw new Error(errors.map((e) => e.message).join("; "));
            documents.set(request.query, document);
          }
          body = JSON.stringify(await execute({ schema, document, variableValues: request.variables, contextValue: { userId } }));
        } catch (error) {
          status = 400;
          body = JSON.stringify({ errors: [{ message: (error as Error).message }] });
        }
        res.statusCode = status;
        res.setHeader("content-type", "application/json");
        res.end(body);
      })();
    });
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
  // Exit cleanly on SIGTERM (so a --cpu-prof profile gets written).
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void pool.end();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
