/**
 * The token fetch's floor with authorization (issue #19): a hand-written `node:http` server, no
 * framework, no ORM, that does the service's work for a fresh OAuth token and nothing else:
 *   1. verify the bearer JWT (ES256, issuer, audience, expiry), remembering a verified token until
 *      its expiry as the service does;
 *   2. ONE mysql2 prepared statement: the account's needed columns, the caller's membership, the
 *      workspace's setting, the grantees and the sealed access token;
 *   3. the access matrix's decision (src/authz, the same pure table the service reads);
 *   4. AES-256-GCM open of the sealed token (src/crypto's Sealer, bound to its row and field);
 *   5. an audit entry queued, written in batches (one multi-row INSERT every 100 ms);
 *   6. the JSON answer with `cache-control: no-store`.
 * GET /v1/accounts/:id?include_credentials=1 only. Prints its port on stdout.
 *
 *   DATABASE_URL=mysql://… DEV_KEY_PATH=… AUTH_ISSUER=… ENCRYPTION_KEYS=… node dist/bench/baselines/token-server.js
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { jwtVerify } from "jose";
import mysql from "mysql2/promise";
import { loadOrCreateDevKey } from "../../src/auth/dev-keys";
import { accountCapabilities, type AccountSubject, type AccountViewer } from "../../src/authz/account-access";
import { KeyRing } from "../../src/crypto/key-ring";
import { Sealer } from "../../src/crypto/sealer";

const SQL = `SELECT a.id, a.workspace_id, a.app_slug, a.nickname, a.owner_member_id, a.health_status, a.scopes,
    a.external_id, a.external_name, a.connected_at, a.expires_at,
    w.admins_manage_access, m.id AS member_id, m.role,
    (SELECT GROUP_CONCAT(g.grantee_key) FROM account_grants g WHERE g.account_id = a.id) AS grantees,
    s.envelope
  FROM accounts a
  JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN members m ON m.workspace_id = a.workspace_id AND m.user_id = ?
  LEFT JOIN account_secrets s ON s.account_id = a.id AND s.workspace_id = a.workspace_id AND s.field = 'oauth_access_token'
  WHERE a.id = ?`;

interface Row {
  id: string;
  workspace_id: string;
  app_slug: string;
  nickname: string;
  owner_member_id: string | null;
  health_status: string;
  scopes: string;
  external_id: string | null;
  external_name: string | null;
  connected_at: Date;
  expires_at: Date | null;
  admins_manage_access: number;
  member_id: string | null;
  role: "OWNER" | "ADMIN" | "MEMBER" | null;
  grantees: string | null;
  envelope: string | null;
}

async function main(): Promise<void> {
  const devKey = await loadOrCreateDevKey(process.env.DEV_KEY_PATH!);
  const issuer = process.env.AUTH_ISSUER!;
  const sealer = new Sealer(KeyRing.parse(process.env.ENCRYPTION_KEYS!));
  const pool = mysql.createPool({ uri: process.env.DATABASE_URL!, connectionLimit: 10, timezone: "Z" });
  const verified = new Map<string, { sub: string; until: number }>();
  const audit: unknown[][] = [];
  setInterval(() => {
    const batch = audit.splice(0);
    if (batch.length === 0) return;
    void pool.query("INSERT INTO audit_events (id, workspace_id, actor_user_id, actor_member_id, action, account_id, details, created_at) VALUES ?", [batch]).catch(() => undefined);
  }, 100).unref();

  const refuse = (res: http.ServerResponse, status: number, code: string) => {
    const body = JSON.stringify({ error: { code, message: code } });
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
    res.end(body);
  };

  const server = http.createServer(async (req, res) => {
    try {
      const match = /^\/v1\/accounts\/([0-9a-f-]{36})\?include_credentials=1$/.exec(req.url ?? "");
      if (req.method !== "GET" || !match) return refuse(res, 404, "NOT_FOUND");
      const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      let caller = verified.get(token);
      if (!caller || caller.until <= Date.now()) {
        try {
          const { payload } = await jwtVerify(token, devKey.publicKey, { issuer, audience: "connected-accounts", algorithms: ["ES256"], requiredClaims: ["sub", "exp"] });
          caller = { sub: String(payload.sub), until: Math.min(Date.now() + 60_000, payload.exp! * 1000) };
          verified.set(token, caller);
        } catch {
          return refuse(res, 401, "UNAUTHENTICATED");
        }
      }
      const [rows] = await pool.execute(SQL, [caller.sub, match[1]]);
      const row = (rows as Row[])[0];
      if (!row || row.member_id === null || row.role === null) return refuse(res, 404, "NOT_FOUND");
      const viewer: AccountViewer = { workspaceId: row.workspace_id, memberId: row.member_id, role: row.role, adminsManageAccess: row.admins_manage_access === 1 };
      const subject: AccountSubject = { workspaceId: row.workspace_id, ownerMemberId: row.owner_member_id, grantees: row.grantees ? row.grantees.split(",") : [], identityKnown: row.external_id !== null };
      const can = accountCapabilities(viewer, subject);
      if (!can.view) return refuse(res, 404, "NOT_FOUND");
      if (!can.readCredentials) return refuse(res, 403, "FORBIDDEN");
      // Fresh: more than the refresh-ahead window (5 min) from expiry; the bench's token has a week.
      if (!row.envelope || !row.expires_at || row.expires_at.getTime() - Date.now() < 300_000) return refuse(res, 503, "NOT_FRESH");
      const accessToken = sealer.open(row.envelope, { workspaceId: row.workspace_id, table: "account_secrets", rowId: row.id, field: "oauth_access_token" });
      audit.push([randomUUID(), row.workspace_id, caller.sub, row.member_id, "ACCOUNT_CREDENTIALS_READ", row.id, JSON.stringify({ via: "rest", apiToken: null, fields: ["oauth_access_token"] }), new Date()]);
      const body = JSON.stringify({
        id: row.id,
        app: row.app_slug,
        nickname: row.nickname,
        health: row.health_status,
        scopes: JSON.parse(row.scopes) as string[],
        external_identity: row.external_id === null ? null : { id: row.external_id, displayName: row.external_name },
        connected_at: row.connected_at.toISOString(),
        credentials: { oauth_access_token: accessToken, expires_at: row.expires_at.toISOString() },
      });
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store", pragma: "no-cache" });
      res.end(body);
    } catch (error) {
      process.stderr.write(`token-server: ${String(error)}\n`);
      if (!res.headersSent) refuse(res, 500, "INTERNAL");
    }
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
}

// A clean exit on SIGTERM, so that --cpu-prof writes its profile (BENCH_PROFILE).
process.on("SIGTERM", () => process.exit(0));
void main();
