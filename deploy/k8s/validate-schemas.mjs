// Validates Kubernetes resources against the API's OpenAPI schemas, offline: the models of the
// `kubernetes-models` package carry them (kubernetes-models is ESM-only, hence a script of its
// own that the jest tests run as a child process).
//
// Usage: node validate-schemas.mjs < resources.json     (a JSON array of resources)
// Prints {"errors": ["Kind/name: …"], "unchecked": ["Kind/name (apiVersion)"]} and exits 0;
// resources of a custom API (e.g. ExternalSecret) have no bundled schema and are "unchecked".
import { readFileSync } from 'node:fs';

const resources = JSON.parse(readFileSync(0, 'utf8'));
const errors = [];
const unchecked = [];
for (const resource of resources) {
  const { apiVersion = '', kind = '' } = resource;
  const id = `${kind}/${resource.metadata?.name ?? '?'}`;
  // apps/v1 → kubernetes-models/apps/v1; v1 (the core group) → kubernetes-models/v1
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}`))[kind];
  } catch {
    Model = undefined;
  }
  if (!Model) {
    unchecked.push(`${id} (${apiVersion})`);
    continue;
  }
  try {
    new Model(resource).validate();
  } catch (error) {
    errors.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.stdout.write(JSON.stringify({ errors, unchecked }));
