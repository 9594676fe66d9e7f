/**
 * `npm run example`: the reference accounts page (examples/accounts-page) next to a dev service.
 *
 * - the service: the embedded default (SQLite under data/example/, dev tokens on) on
 *   http://127.0.0.1:4000, with the page's origin in CORS_ORIGINS and OAUTH_RETURN_URLS;
 * - a local OpenID provider (the test suite's oidc-provider fixture, showing a consent page) as the
 *   OAuth app "Test OIDC", so the popup flow works without any account at a real provider;
 * - the page on http://127.0.0.1:4100, signed in as `dev-user` (the Dev workspace's OWNER) or, with
 *   `?as=dev-colleague`, as a MEMBER of it.
 *
 * EXAMPLE_SERVICE_PORT and EXAMPLE_PAGE_PORT change the ports. Ctrl-C stops everything.
 */
import "reflect-metadata";
import path from "node:path";
import { loadConfig } from "../src/config";
import { startService } from "../src/server";
import { DEV_USER, ensureDevWorkspace } from "../src/dev-bootstrap";
import { loadOrCreateDevKey, mintDevToken } from "../src/auth/dev-keys";
import { MemberEntity } from "../src/modules/workspaces/member.entity";
import { startExampleServer } from "../examples/accounts-page/server/serve";
import { OAuthProviderFixture } from "../test/support/oauth-provider";
import { CLIENT_ID, CLIENT_SECRET, TEST_APP, writeTestApp } from "../test/support/oauth-harness";

const COLLEAGUE = { sub: "dev-colleague", name: "Dev Colleague" };
const NAMES: Record<string, string> = { [DEV_USER.sub]: DEV_USER.name, [COLLEAGUE.sub]: COLLEAGUE.name };

async function main(): Promise<void> {
  const servicePort = Number(process.env.EXAMPLE_SERVICE_PORT ?? 4000);
  const pagePort = Number(process.env.EXAMPLE_PAGE_PORT ?? 4100);
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const pageOrigins = [`http://127.0.0.1:${pagePort}`, `http://localhost:${pagePort}`];

  const provider = await OAuthProviderFixture.start({
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${serviceUrl}/oauth/callback`] }],
    accounts: { alice: { sub: "alice", name: "Alice Example", email: "alice@example.test" } },
  });
  await provider.setInteractionMode("page");

  const config = loadConfig({
    ...process.env,
    PORT: String(servicePort),
    DATA_DIR: process.env.DATA_DIR ?? path.resolve("data/example"),
    PUBLIC_URL: serviceUrl,
    DEV_TOKENS: "true",
    CORS_ORIGINS: pageOrigins.join(","),
    OAUTH_RETURN_URLS: pageOrigins.map((origin) => `${origin}/`).join(","),
    APP_CATALOG_EXTRA_FILE: writeTestApp(provider),
    OAUTH_CLIENTS: JSON.stringify({ [TEST_APP]: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }),
  });
  const service = await startService(config);
  await ensureDevWorkspace(service);
  const key = await loadOrCreateDevKey(config.auth.devKeyPath);
  // A second member, to share accounts with and to watch a page change live.
  const members = service.dataSource.getRepository(MemberEntity);
  const owner = await members.findOneOrFail({ where: { userId: DEV_USER.sub }, order: { createdAt: "ASC" } });
  if (!(await members.findOneBy({ workspaceId: owner.workspaceId, userId: COLLEAGUE.sub }))) {
    const token = await mintDevToken(key, config.auth.audience, { sub: DEV_USER.sub, name: DEV_USER.name }, 60);
    const response = await fetch(service.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: "mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }",
        variables: { input: { workspaceId: owner.workspaceId, userId: COLLEAGUE.sub, displayName: COLLEAGUE.name, role: "MEMBER" } },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) throw new Error(`adding ${COLLEAGUE.sub} failed: ${JSON.stringify(body.errors)}`);
  }

  const page = await startExampleServer({
    port: pagePort,
    serviceUrl: service.url,
    defaultUser: DEV_USER.sub,
    // The app's own sign-in, played by dev tokens (an hour; the page renews them before they end).
    mintToken: (user) => mintDevToken(key, config.auth.audience, { sub: user, name: NAMES[user] }, 3600),
  });
  process.stderr.write(
    [
      "",
      "The reference accounts page is up:",
      `  as the workspace owner:  ${page.origin}/?as=${DEV_USER.sub}`,
      `  as a member:             ${page.origin}/?as=${COLLEAGUE.sub}   (a second window: watch it change live)`,
      `  service:                 ${service.url}`,
      `  OAuth app "Test OIDC":   a local OpenID provider at ${provider.issuer} (consent page in the popup)`,
      "Ctrl-C stops it.",
      "",
    ].join("\n") + "\n",
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    await page.close();
    await service.close();
    await provider.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error("The example could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
