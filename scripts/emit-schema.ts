/**
 * Writes the emitted SDL under schema/ (subgraph.graphql: what `_service { sdl }` answers;
 * schema.graphql: the whole executable schema, which codegen reads). With --check, fails instead
 * when the committed files differ from what the code builds.
 */
import fs from "node:fs";
import path from "node:path";
import { buildSubgraph, fullSdl, subgraphSdl } from "../src/graphql/schema";

async function main(): Promise<void> {
  const check = process.argv.includes("--check");
  const schema = await buildSubgraph();
  const files = {
    "subgraph.graphql": (await subgraphSdl(schema)) + "\n",
    "schema.graphql": fullSdl(schema) + "\n",
  };
  const dir = path.resolve(__dirname, "..", "schema");
  let drift = false;
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current === text) continue;
    if (check) {
      console.error(`schema/${name} is out of date: run npm run schema:emit`);
      drift = true;
    } else {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, text);
      console.log(`wrote schema/${name}`);
    }
  }
  if (drift) process.exit(1);
  if (check) console.log("schema/ is current");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
