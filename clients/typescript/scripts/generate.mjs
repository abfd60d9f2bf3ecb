// Generates the client's types from the committed schemas (`make client`):
//   src/schema.d.ts  from api-schema/openapi.json   (openapi-typescript)
//   src/frames.d.ts  from api-schema/asyncapi.json  (its schemas, through the same generator)
//   src/operations.js the GET paths that take `min_position` (read-your-writes)
// With --check, writes nothing and exits 1 when a committed file differs from what it would
// write (the freshness test runs it).
import openapiTS, { astToString } from "openapi-typescript";
import { readFile, writeFile } from "node:fs/promises";

const root = new URL("../../../api-schema/", import.meta.url);
const src = new URL("../src/", import.meta.url);
const banner = (from) =>
  `// Generated from api-schema/${from} by clients/typescript/scripts/generate.mjs (make client).\n// Do not edit by hand.\n\n`;

export async function generate() {
  const openapi = JSON.parse(await readFile(new URL("openapi.json", root), "utf8"));
  const asyncapi = JSON.parse(await readFile(new URL("asyncapi.json", root), "utf8"));
  // The feed's schemas are JSON Schema like OpenAPI 3.1's: hand them to the same generator.
  const frames = {
    openapi: "3.1.0",
    info: { title: asyncapi.info.title, version: asyncapi.info.version },
    paths: {},
    components: { schemas: asyncapi.components.schemas },
  };
  const consistent = Object.entries(openapi.paths)
    .filter(([, item]) => (item.get?.parameters ?? []).some((p) => p.in === "query" && p.name === "min_position"))
    .map(([path]) => path)
    .sort();
  return {
    "operations.js":
      banner("openapi.json") +
      "/** GET paths (templates) that take `min_position`: the client adds it after a write. */\n" +
      `export const MIN_POSITION_PATHS = new Set(${JSON.stringify(consistent, null, 2)});\n`,
    "schema.d.ts": banner("openapi.json") + astToString(await openapiTS(openapi)),
    "frames.d.ts": banner("asyncapi.json") + astToString(await openapiTS(frames)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes("--check");
  let stale = [];
  for (const [name, text] of Object.entries(await generate())) {
    const file = new URL(name, src);
    if (check) {
      const committed = await readFile(file, "utf8").catch(() => "");
      if (committed !== text) stale.push(name);
    } else {
      await writeFile(file, text);
      console.log(`wrote src/${name}`);
    }
  }
  if (stale.length) {
    console.error(`stale: ${stale.join(", ")}: run make client`);
    process.exit(1);
  }
}
