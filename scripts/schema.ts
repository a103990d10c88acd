// Writes schema/record.schema.json from the zod schema in src/schema.ts: `npm run schema`. Never edit it by hand.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RECORD_SCHEMA_FILE, recordJsonSchema } from '../src/record/json-schema.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
writeFileSync(path.join(root, RECORD_SCHEMA_FILE), recordJsonSchema())
process.stdout.write(`wrote ${RECORD_SCHEMA_FILE}\n`)
