import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import type { DatabaseSettings } from "../../src/data-source";

/** The MariaDB server the scripts and tests use (root, empty password, per the project's machines). */
export const MARIADB_SERVER_URL = process.env.TEST_MARIADB_URL ?? "mysql://root@127.0.0.1:3306";

const deadlines = { connectTimeoutMs: 5000, acquireTimeoutMs: 5000, queryTimeoutMs: 30000, migrate: false };

/** Creates an empty database of the given dialect and returns settings pointing at it. */
export async function createScratchDatabase(kind: "sqlite" | "mariadb", name: string): Promise<DatabaseSettings> {
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    return { kind: "sqlite", path: path.join(dir, "db.sqlite"), ...deadlines };
  }
  await recreateMariaDatabase(name);
  return { kind: "mariadb", url: `${MARIADB_SERVER_URL}/${name}`, poolSize: 5, ...deadlines };
}

/** Drops and creates a MariaDB database. */
export async function recreateMariaDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  const connection = await mysql.createConnection({ uri: MARIADB_SERVER_URL, connectTimeout: 5000 });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await connection.end();
  }
}
