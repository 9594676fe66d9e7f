/**
 * The layers of src/ (.dependency-cruiser.cjs, explained in ARCHITECTURE.md): the real tree keeps
 * them, and each rule does fail on an import that breaks it (a fixture tree with one violation of
 * each kind, cruised with the same configuration).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Cruises `src/` under `cwd` with the project's rules (dependency-cruiser is ESM-only: it runs as its own process). */
function cruise(cwd: string): Violation[] {
  const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "src", "--config", CONFIG, "--output-type", "json"], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  if (!result.stdout) throw new Error(`dependency-cruiser failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe("the layers of src/", () => {
  it("are kept by the code: no cycle, no upward import", () => {
    expect(cruise(ROOT).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it("are enforced: each kind of violation in a fixture tree is reported by its rule", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ca-layers-"));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write("tsconfig.json", JSON.stringify({ compilerOptions: { module: "commonjs", target: "es2022", strict: true } }));
    // One file per layer, then imports that point the wrong way.
    write("src/db/pool.ts", `import { limits } from "../graphql/limits";\nexport const pool = limits;\n`);
    write("src/graphql/limits.ts", `export const limits = 1;\n`);
    write("src/authz/matrix.ts", `import type { AccountEntity } from "../modules/accounts/account.entity";\nexport type Subject = AccountEntity;\n`);
    write("src/modules/accounts/account.entity.ts", `export class AccountEntity {}\n`);
    write("src/events/log.ts", `import { WorkflowService } from "../modules/workflows/workflow.service";\nexport const log = WorkflowService;\n`);
    write("src/modules/workflows/workflow.service.ts", `import { server } from "../../server";\nimport { AccountType } from "../accounts/account.type";\nexport class WorkflowService { s = server; t = AccountType; }\n`);
    write("src/modules/accounts/account.type.ts", `export class AccountType {}\n`);
    write("src/modules/accounts/account.service.ts", `import { WorkflowService } from "../workflows/workflow.service";\nexport const uses = WorkflowService;\n`);
    write("src/modules/accounts/account.resolver.ts", `import { ws } from "../../realtime/ws";\nexport const r = ws;\n`);
    write("src/realtime/ws.ts", `import { boot } from "../main";\nexport const ws = boot;\n`);
    write("src/main.ts", `export const boot = 1;\n`);
    write("src/server.ts", `export const server = 1;\n`);
    write("src/modules/proxy/a.ts", `import type { B } from "./b";\nexport type A = { b?: B };\n`);
    write("src/modules/proxy/b.ts", `import type { A } from "./a";\nexport type B = { a?: A };\n`);
    try {
      const found = cruise(dir).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(found).toEqual(
        expect.arrayContaining([
          "core-imports-only-core: src/db/pool.ts -> src/graphql/limits.ts",
          "authz-is-pure: src/authz/matrix.ts -> src/modules/accounts/account.entity.ts",
          "events-below-modules: src/events/log.ts -> src/modules/workflows/workflow.service.ts",
          "domain-without-transports: src/modules/workflows/workflow.service.ts -> src/server.ts",
          "domain-without-transports: src/modules/workflows/workflow.service.ts -> src/modules/accounts/account.type.ts",
          "module-order-accounts: src/modules/accounts/account.service.ts -> src/modules/workflows/workflow.service.ts",
          "edges-use-graphql-only: src/modules/accounts/account.resolver.ts -> src/realtime/ws.ts",
          "transports-below-composition: src/realtime/ws.ts -> src/main.ts",
          // A cycle of type-only imports counts too.
          "no-circular: src/modules/proxy/a.ts -> src/modules/proxy/b.ts",
        ]),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
