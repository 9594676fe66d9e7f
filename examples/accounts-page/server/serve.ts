import fs from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

// The reference page's own little web server, standing in for "the frontend app": it serves the
// static page (built with the client package), the client's ESM build and graphql-ws (resolved by
// the page's import map, so no bundler is needed), the page's settings, and a token endpoint that
// plays the app's own authentication (the service trusts the app's identity provider; here that
// is whatever `mintToken` signs with). The service itself runs elsewhere, on another origin.

const PAGE_DIR = path.resolve(__dirname, "..");
const REPO_ROOT = path.resolve(PAGE_DIR, "../..");

/** URL prefix → folder it serves. */
const MOUNTS: Array<[prefix: string, dir: string]> = [
  ["/app/", path.join(PAGE_DIR, "dist")],
  ["/client/", path.join(REPO_ROOT, "client/dist")],
  ["/vendor/graphql-ws/", path.join(REPO_ROOT, "client/node_modules/graphql-ws/dist")],
];
const FILES: Record<string, string> = {
  "/": path.join(PAGE_DIR, "index.html"),
  "/index.html": path.join(PAGE_DIR, "index.html"),
  "/styles.css": path.join(PAGE_DIR, "styles.css"),
};
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
};

/** How the page's server is set up. */
export interface ExampleServerOptions {
  /** Port to listen on (0: any free one). */
  port: number;
  host?: string;
  /** The service's GraphQL URL, as the page calls it (another origin). */
  serviceUrl: string;
  /** The app's authentication: a bearer token the service accepts for this user. */
  mintToken: (user: string) => Promise<string>;
  /** Whom the page signs in as without `?as=` (default "dev-user"). */
  defaultUser?: string;
}

/** A running page server. */
export interface ExampleServer {
  /** The page's origin, e.g. http://127.0.0.1:4100 (it must be in the service's CORS_ORIGINS and OAUTH_RETURN_URLS). */
  origin: string;
  close(): Promise<void>;
}

const USER_ID = /^[A-Za-z0-9._@-]{1,100}$/;

/** Starts the page's server. */
export async function startExampleServer(options: ExampleServerOptions): Promise<ExampleServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    origin: `http://${address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ExampleServerOptions): Promise<void> {
  const url = new URL(req.url ?? "/", "http://page.local");
  if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain; charset=utf-8", "method not allowed");
  if (url.pathname === "/favicon.ico") return send(res, 204, "image/x-icon", "");
  if (url.pathname === "/config.json") {
    return send(res, 200, TYPES[".json"]!, JSON.stringify({ serviceUrl: options.serviceUrl, defaultUser: options.defaultUser ?? "dev-user" }));
  }
  if (url.pathname === "/token") {
    // The app's session would say who is signed in; the example takes it from `?as=`.
    const user = url.searchParams.get("as") ?? options.defaultUser ?? "dev-user";
    if (!USER_ID.test(user)) return send(res, 400, TYPES[".json"]!, JSON.stringify({ error: "bad user id" }));
    return send(res, 200, TYPES[".json"]!, JSON.stringify({ token: await options.mintToken(user) }));
  }
  const file = resolveFile(url.pathname);
  if (!file) return send(res, 404, "text/plain; charset=utf-8", "not found");
  let body: Buffer;
  try {
    body = await fs.promises.readFile(file);
  } catch {
    return send(res, 404, "text/plain; charset=utf-8", `not found (did the build run? npm run example:build)`);
  }
  send(res, 200, TYPES[path.extname(file)] ?? "application/octet-stream", body);
}

// A file under one of the mounts, never outside it.
function resolveFile(pathname: string): string | null {
  if (FILES[pathname]) return FILES[pathname]!;
  for (const [prefix, dir] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    const file = path.resolve(dir, "." + decodeURIComponent(pathname.slice(prefix.length - 1)));
    return file.startsWith(dir + path.sep) ? file : null;
  }
  return null;
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(body);
}
