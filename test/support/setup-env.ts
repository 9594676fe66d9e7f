// Every test process starts from the same environment: nothing from the developer's shell leaks
// into the service configuration the tests build.
for (const name of Object.keys(process.env)) {
  if (/^(DATABASE_URL|SQLITE_PATH|AUTH_|DEV_|GRAPHQL_|DB_|ENCRYPTION_KEYS|CA_PRODUCTION|LOG_LEVEL|PORT|HOST|DATA_DIR)/.test(name)) {
    delete process.env[name];
  }
}
process.env.NODE_ENV = "test";
