// Writes schema/record.schema.json and schema/translation.schema.json from the zod schemas in src/record/: `npm run schema`. Never edit it by hand.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { RECORD_SCHEMA_FILE, recordJsonSchema, TRANSLATION_SCHEMA_FILE, translationJsonSchema } from '../src/record/json-schema.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
writeFileSync(path.join(root, RECORD_SCHEMA_FILE), recordJsonSchema())
writeFileSync(path.join(root, TRANSLATION_SCHEMA_FILE), translationJsonSchema())
process.stdout.write(`wrote ${RECORD_SCHEMA_FILE} and ${TRANSLATION_SCHEMA_FILE}\n`)
