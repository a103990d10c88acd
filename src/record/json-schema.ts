/** The record contract as JSON Schema, generated from the zod schema for editors and content tools. */
import { z } from 'zod'
import { DATE_PATTERN } from '../core/format.ts'
import { recordSchema } from './schema.ts'
import { translationSchema } from './translation.ts'

/** Where the generated schema is committed, relative to the project root. */
export const RECORD_SCHEMA_FILE = 'schema/record.schema.json'

/** Where the translations' schema is committed (content/<id>.<lang>.md). */
export const TRANSLATION_SCHEMA_FILE = 'schema/translation.schema.json'

/** The JSON Schema of a translation's front matter, as text. */
export function translationJsonSchema(): string {
  const schema = z.toJSONSchema(translationSchema, { io: 'input', unrepresentable: 'any' })
  return `${JSON.stringify({ ...schema, $id: 'https://factsheets.invalid/schema/translation.schema.json', title: 'Fact sheet translation (front matter of <id>.<lang>.md)' }, null, 2)}
`
}

/** The JSON Schema of a record's front matter, as text (stable key order, trailing newline). */
export function recordJsonSchema(): string {
  const schema = z.toJSONSchema(recordSchema, {
    io: 'input',
    unrepresentable: 'any',
    override(ctx) {
      // A date may be a string or (from other YAML parsers) a date object; for editors it is the string form.
      const anyOf = ctx.jsonSchema.anyOf
      if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some((option) => Object.keys(option).length === 0)) {
        delete ctx.jsonSchema.anyOf
        Object.assign(ctx.jsonSchema, { type: 'string', pattern: DATE_PATTERN.source, description: 'YYYY-MM or YYYY-MM-DD' })
      }
    },
  })
  return `${JSON.stringify({ ...schema, $id: 'https://factsheets.invalid/schema/record.schema.json', title: 'Fact sheet record (front matter)' }, null, 2)}\n`
}
