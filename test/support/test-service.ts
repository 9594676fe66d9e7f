import { Writable } from "node:stream";
import { loadConfig } from "../../src/config";
import { startService, type RunningService } from "../../src/server";
import { databaseEnv } from "./test-database";
import { gql, type GraphQLResult } from "./graphql-client";
import { mintToken, TEST_AUDIENCE, TEST_ISSUER, testIssuerKeys, type TokenOptions } from "./tokens";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { DocumentNode } from "graphql";

/** A service started for a test, with its captured log lines and helpers to call it. */
export interface TestService extends RunningService {
  /** Every log line the service wrote, as raw JSON text. */
  logs: string[];
  /** Calls the service's GraphQL endpoint as `user` (or anonymously when user is null). */
  call<TData = Record<string, unknown>, TVars = Record<string, unknown>>(
    user: string | null,
    document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
    variables?: TVars,
  ): Promise<GraphQLResult<TData>>;
  /** A valid token for `user`. */
  token(user: string, options?: TokenOptions): Promise<string>;
  /** The service's base URL (http://127.0.0.1:port). */
  baseUrl: string;
}

/**
 * Starts a real service on a free port: the test database (a fresh SQLite file, or the shared
 * MariaDB database), the test identity provider's public key, logs captured in memory.
 */
export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const { publicPem } = await testIssuerKeys();
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "info",
    AUTH_PUBLIC_KEY: publicPem,
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    DEV_TOKENS: "false",
    // Webhook delivery scans the database every second: off unless a test turns it on, so that it
    // neither counts in other tests' statement counts nor delivers their endpoints on a shared MariaDB.
    WEBHOOK_POLL_MS: "0",
    // The retention purge likewise: its passes would count in statement counts and delete other
    // tests' rows on a shared MariaDB; test/retention.test.ts calls it directly.
    RETENTION_PURGE_INTERVAL_MS: "0",
    // And the sweep for interrupted workspace deletions (test/workspace-lifecycle.test.ts turns it on).
    DELETION_SWEEP_MS: "0",
    ...databaseEnv(),
    ...env,
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  const service = await startService(config, { logDestination: destination });
  const tokens = new Map<string, string>();
  const token = async (user: string, options?: TokenOptions) => {
    if (options) return mintToken(user, options);
    let value = tokens.get(user);
    if (!value) {
      value = await mintToken(user);
      tokens.set(user, value);
    }
    return value;
  };
  return Object.assign(service, {
    logs,
    token,
    baseUrl: service.url.replace(/\/graphql$/, ""),
    call: async <TData, TVars>(
      user: string | null,
      document: TypedDocumentNode<TData, TVars> | DocumentNode | string,
      variables?: TVars,
    ) => gql<TData, TVars>(service.url, document, variables, { token: user ? await token(user) : undefined }),
  });
}
