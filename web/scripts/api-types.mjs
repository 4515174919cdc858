// The API's TypeScript types, generated from the OpenAPI document that the
// Go server builds from its route table (docs/openapi.json, written by
// `go run ./cmd/attract openapi`). Hand-kept copies of the Go structs drift silently;
// these cannot, because the build and `make test` run this script with --check.
//
//   node scripts/api-types.mjs --go          rewrite docs/openapi.json from the Go code, then src/api/schema.gen.ts
//   node scripts/api-types.mjs               rewrite src/api/schema.gen.ts from docs/openapi.json
//   node scripts/api-types.mjs --check       fail when schema.gen.ts is not what docs/openapi.json generates
//   node scripts/api-types.mjs --check --go  also fail when docs/openapi.json is not what the Go code builds
//
// npm run api:types is the first form, npm run api:check (run by npm run
// build) the third; make test runs the last.
import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DOCUMENT = new URL('../../docs/openapi.json', import.meta.url)
const OUTPUT = new URL('../src/api/schema.gen.ts', import.meta.url)
const HEADER =
  '// Generated from docs/openapi.json by `npm run api:types`; do not edit.\n' +
  '// What the views use of it is in schema.ts.\n'

const check = process.argv.includes('--check')
const fromGo = process.argv.includes('--go')

function fail(message) {
  console.error(message)
  process.exit(1)
}

let docText = await readFile(DOCUMENT, 'utf8').catch(() => '')
if (fromGo) {
  const built = execFileSync('go', ['run', './cmd/attract', 'openapi'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (check && built !== docText) {
    fail('docs/openapi.json is not what the Go code builds: run `npm run api:types` in web/ and commit the result.')
  }
  if (!check) await writeFile(DOCUMENT, built)
  docText = built
}

const text = HEADER + astToString(await openapiTS(JSON.parse(docText), { alphabetize: true }))

if (check) {
  const current = await readFile(OUTPUT, 'utf8').catch(() => '')
  if (current !== text) {
    fail('src/api/schema.gen.ts is not what docs/openapi.json generates: run `npm run api:types` in web/ and commit both.')
  }
  console.log(`api types: src/api/schema.gen.ts matches docs/openapi.json${fromGo ? ', which matches the Go code' : ''}`)
} else {
  await writeFile(OUTPUT, text)
  console.log('api types: wrote src/api/schema.gen.ts from docs/openapi.json')
}
