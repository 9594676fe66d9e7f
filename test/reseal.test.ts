import type { ObjectLiteral } from "typeorm";
import { RegisterOAuthClientDocument, SetEnvironmentVariableDocument } from "../operations/generated";
import { resealColumn, type SealedColumn } from "../src/crypto/reseal-columns";
import { SEALED_COLUMNS } from "../src/modules/sealed-columns";
import { loadKeyRing } from "../src/crypto/key-ring";
import { Sealer } from "../src/crypto/sealer";
import { EnvVarEntity } from "../src/modules/env-vars/env-var.entity";
import { OAuthClientEntity } from "../src/modules/oauth/oauth-client.entity";
import { WebhookEndpointEntity } from "../src/modules/webhooks/webhook.entity";
import { buildTeam } from "./support/factories";
import { dataOf } from "./support/graphql-client";
import { freshSqlitePath, TEST_DB } from "./support/test-database";
import { startTestService } from "./support/test-service";

const OLD = Buffer.alloc(32, 11).toString("base64");
const NEW = Buffer.alloc(32, 12).toString("base64");

// SQLite only: the MariaDB test database is shared, and other files' rows are sealed under keys
// this test does not hold (the account-secret re-seal has its own isolated MariaDB test).
(TEST_DB === "sqlite" ? describe : describe.skip)("re-sealing OAuth client secrets, secret environment variables and webhook secrets", () => {
  it("moves them to the current key, after which the new key alone opens them", async () => {
    const file = freshSqlitePath();
    const first = await startTestService({ SQLITE_PATH: file, ENCRYPTION_KEYS: `old:${OLD}` });
    const team = await buildTeam(first);
    dataOf(await first.call(team.admin.userId, SetEnvironmentVariableDocument, { input: { workspaceId: team.workspace.id, name: "TOKEN", value: "env-secret-value" } }));
    dataOf(await first.call(team.admin.userId, RegisterOAuthClientDocument, {
      input: { workspaceId: team.workspace.id, appSlug: "github", clientId: "gh-client", clientSecret: "gh-client-secret" },
    }));
    const { createWebhookEndpoint } = dataOf(
      await first.call<{ createWebhookEndpoint: { endpoint: { id: string } } }>(team.admin.userId, `mutation ($ws: ID!) { createWebhookEndpoint(input: { workspaceId: $ws, url: "https://hooks.example.com/in" }) { endpoint { id } } }`, { ws: team.workspace.id }),
    );
    // A rotation leaves the previous secret sealed beside the new one: both columns move.
    dataOf(await first.call(team.admin.userId, `mutation ($id: ID!) { rotateWebhookSecret(endpointId: $id, graceSeconds: 3600) { secret } }`, { id: createWebhookEndpoint.endpoint.id }));
    await first.close();

    const second = await startTestService({ SQLITE_PATH: file, ENCRYPTION_KEYS: `new:${NEW},old:${OLD}` });
    const sealer = new Sealer(loadKeyRing({ encryptionKeys: `new:${NEW},old:${OLD}`, devEncryptionKeyPath: "" }));
    for (const column of SEALED_COLUMNS) {
      expect(await resealColumn(second.dataSource, sealer, column as unknown as SealedColumn<ObjectLiteral>)).toEqual({ resealed: 1, failed: [] });
      expect(await resealColumn(second.dataSource, sealer, column as unknown as SealedColumn<ObjectLiteral>)).toEqual({ resealed: 0, failed: [] });
    }
    expect((await second.dataSource.getRepository(EnvVarEntity).findOneByOrFail({ workspaceId: team.workspace.id })).value).toMatch(/^cas1\.new\./);
    const endpoint = await second.dataSource.getRepository(WebhookEndpointEntity).findOneByOrFail({ workspaceId: team.workspace.id });
    expect([endpoint.secret, endpoint.previousSecret]).toEqual([expect.stringMatching(/^cas1\.new\./), expect.stringMatching(/^cas1\.new\./)]);
    expect((await second.dataSource.getRepository(OAuthClientEntity).findOneByOrFail({ workspaceId: team.workspace.id })).clientSecret).toMatch(/^cas1\.new\./);
    await second.close();

    const third = await startTestService({ SQLITE_PATH: file, ENCRYPTION_KEYS: `new:${NEW}` });
    try {
      expect((await third.services.envVars.resolveForRun(team.workspace.id)).values).toEqual({ TOKEN: "env-secret-value" });
      const client = await third.services.oauthClients.resolve(team.workspace.id, third.services.apps.get("github"), (await third.dataSource.getRepository(OAuthClientEntity).findOneByOrFail({ workspaceId: team.workspace.id })).id);
      expect(client.clientSecret).toBe("gh-client-secret");
    } finally {
      await third.close();
    }
  });
});
