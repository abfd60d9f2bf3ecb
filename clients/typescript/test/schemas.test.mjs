// The SPA team's toolchain on the committed schemas: the OpenAPI 3.1 validator and the
// official AsyncAPI parser report nothing, openapi-typescript generates without error and its
// output is what is committed, and the client's declarations type-check (with the README's
// example and the calls the types must refuse).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Parser } from "@asyncapi/parser";
import { generate } from "../scripts/generate.mjs";

const schemas = new URL("../../../api-schema/", import.meta.url);
const read = async (name) => JSON.parse(await readFile(new URL(name, schemas), "utf8"));

test("api-schema/openapi.json is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(await read("openapi.json"));
  assert.equal(validator.version, "3.1");
  assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
});

test("api-schema/asyncapi.json parses with the official parser: no errors, no warnings", async () => {
  const { diagnostics, document } = await new Parser().parse(JSON.stringify(await read("asyncapi.json")));
  // Spectral severities: 0 error, 1 warning, 2 information, 3 hint. (The one information today
  // is that AsyncAPI 3.1 exists; 3.0 is what the SPA's tools read.)
  const serious = diagnostics
    .filter((d) => d.severity <= 1)
    .map((d) => `${d.severity ? "warning" : "error"} ${d.code}: ${d.message} at ${d.path.join("/")}`);
  assert.deepEqual(serious, []);
  assert.ok(document, "a document");
  assert.equal(document.version(), "3.0.0");
});

test("generated types are current (make client)", async () => {
  const generated = await generate();
  for (const [name, text] of Object.entries(generated)) {
    const committed = await readFile(new URL(`../src/${name}`, import.meta.url), "utf8");
    assert.ok(committed === text, `src/${name} is stale: run make client`);
  }
});

test("the declarations type-check, and refuse what the API does not take", async () => {
  const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const project = new URL("../tsconfig.json", import.meta.url).pathname;
  await promisify(execFile)(process.execPath, [tsc, "-p", project]).catch((e) => {
    assert.fail(`tsc: ${e.stdout}${e.stderr}`);
  });
});
