import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** Which database this jest run uses (npm run test:sqlite / test:mariadb). */
export const TEST_DB: "sqlite" | "mariadb" = process.env.TEST_DB === "mariadb" ? "mariadb" : "sqlite";

/** The MariaDB server of the project's machines. */
export const MARIADB_SERVER = { host: "127.0.0.1", port: 3306, user: "root" };

/**
 * The database the MariaDB run migrates once (global setup) and every test shares; another name
 * (TEST_MARIADB_DATABASE) lets two runs on one machine stay out of each other's way.
 */
export const MARIADB_TEST_DATABASE = process.env.TEST_MARIADB_DATABASE ?? "ca_test";

/** A MariaDB URL for the test database, optionally through another host/port (a fault proxy). */
export function mariadbUrl(port = MARIADB_SERVER.port, host = MARIADB_SERVER.host): string {
  return `mysql://${MARIADB_SERVER.user}@${host}:${port}/${MARIADB_TEST_DATABASE}`;
}

/** A fresh SQLite file in its own temporary directory. */
export function freshSqlitePath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ca-test-")), "db.sqlite");
}

/** Environment selecting the test database (SQLite: a new file; MariaDB: the shared test database). */
export function databaseEnv(): Record<string, string> {
  return TEST_DB === "mariadb" ? { DATABASE_URL: mariadbUrl() } : { SQLITE_PATH: freshSqlitePath() };
}
