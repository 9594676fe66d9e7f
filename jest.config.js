/** Jest runs the TypeScript tests directly (ts-jest, transpile only: `tsc --noEmit` is its own check). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["<rootDir>/test/**/*.test.ts"],
  // The browser test runs on its own (npm run test:browser, test/browser/jest.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/browser/"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
    // The OTLP exporter loads node:http with import(), which Jest's CommonJS sandbox cannot run
    // without --experimental-vm-modules: compiled to require() for the tests (the service runs it as is).
    "/otlp-exporter-base/.+\\.js$": ["ts-jest", { diagnostics: false, tsconfig: { allowJs: true, module: "commonjs", target: "es2022" } }],
  },
  transformIgnorePatterns: ["/node_modules/(?!@opentelemetry/(exporter-trace-otlp-http/node_modules/@opentelemetry/)?otlp-exporter-base/)"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  setupFiles: ["<rootDir>/test/support/setup-env.ts"],
  testTimeout: 30000,
  maxWorkers: 2,
  forceExit: false,
};
