// Driver error codes that mean "the database is unreachable or too slow", not "your query is wrong".
const UNAVAILABLE_CODES = new Set([
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "POOL_ACQUIRE_TIMEOUT",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
]);

/** Whether an error (possibly wrapped by TypeORM) means the database is unavailable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    const message = (current as { message?: unknown }).message;
    if (typeof message === "string" && /Pool is closed|Connection lost|Can't add new command when connection is in closed state/i.test(message)) {
      return true;
    }
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}


// A write that names a row another transaction deleted meanwhile (MariaDB ER_NO_REFERENCED_ROW_2;
// SQLite's foreign key check): the caller's request is out of date, not a bug of ours.
const MISSING_REFERENCE_CODES = new Set(["ER_NO_REFERENCED_ROW_2", "ER_NO_REFERENCED_ROW", "SQLITE_CONSTRAINT_FOREIGNKEY"]);

/** Whether an error (possibly wrapped by TypeORM) is a foreign key naming a row that no longer exists. */
export function isMissingReference(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && MISSING_REFERENCE_CODES.has(code)) return true;
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

// A row with the same unique key exists already (MariaDB ER_DUP_ENTRY; SQLite's unique or primary key check).
const DUPLICATE_CODES = new Set(["ER_DUP_ENTRY", "SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"]);

/** Whether an error (possibly wrapped by TypeORM) is a unique key violation. */
export function isDuplicateKey(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && DUPLICATE_CODES.has(code)) return true;
    current = (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
