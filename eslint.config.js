// Lint: eslint's and typescript-eslint's recommended rules (syntax-level, fast); `tsc --noEmit`
// does the type checking.
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
  {
    ignores: ["dist/", "node_modules/", "data/", "operations/generated.ts", "coverage/", ".bench-results/", ".artifacts/", "client/dist/", "client/build-test/", "client/node_modules/", "client/src/generated.ts", "examples/accounts-page/dist/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: "readonly", module: "writable", __dirname: "readonly", process: "readonly", console: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/no-unsafe-function-type": "off",
      "@typescript-eslint/no-require-imports": ["error", { allow: ["^@eslint/js$", "^typescript-eslint$"] }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  {
    files: ["scripts/**", "test/**", "bench/**"],
    rules: { "no-console": "off" },
  },
);
