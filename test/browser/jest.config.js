/** The browser test (real Chromium): run on its own by `npm run test:browser`, on SQLite. */
module.exports = {
  rootDir: "../..",
  testEnvironment: "node",
  roots: ["<rootDir>/test/browser"],
  testMatch: ["<rootDir>/test/browser/**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] },
  setupFiles: ["<rootDir>/test/support/setup-env.ts"],
  testTimeout: 60000,
  maxWorkers: 1,
};
