/** Translations: content/<id>.<lang>.md beside a record, holding only its text; checked, then merged with the record's facts. */
import { z } from 'zod'
import { SheetError } from '../core/errors.ts'
import { sha256 } from '../core/hash.ts'
import { fieldName, issueErrors, locate } from '../core/located-yaml.ts'
import type { SourceRecord } from './load.ts'
import { recordSchema, type RecordFields } from './schema.ts'

/** The text fields a translation may hold; every other field of a record is a fact, taken from the record only. */
export const TRANSLATED_FIELDS = ['title', 'subtitle', 'implementer', 'beneficiary', 'countries'] as const

/** The front matter of a translation. */
export const translationSchema = z.strictObject({
  title: recordSchema.shape.title.optional(),
  subtitle: recordSchema.shape.subtitle,
  implementer: recordSchema.shape.implementer.optional(),
  beneficiary: recordSchema.shape.beneficiary,
  /** How this language writes the record's `countries` entries: { "neighbouring countries": "pays voisins" }. */
  countries: z.record(z.string().min(1).max(100), z.string().trim().min(1).max(100), { error: 'expected the record\'s entries and their words: { "EU countries": "pays de l\'UE" }' }).optional(),
  /** The short hash of the record's text when it was translated (new:sheet --translate writes it). */
  translated_from: z.string({ error: 'expected the hash new:sheet --translate wrote, such as 3f9a1c0b2d4e' }).regex(/^[0-9a-f]{8,64}$/, { error: 'expected a hash of hex digits' }).optional(),
})

/** A translation's validated front matter. */
export type TranslationFields = z.infer<typeof translationSchema>

/** The short hash of a record's text (its text fields and body): what a translation's translated_from holds. */
export function recordTextHash(fields: Pick<RecordFields, 'title' | 'subtitle' | 'implementer' | 'beneficiary' | 'countries'>, body: string): string {
  return sha256(JSON.stringify([fields.title, fields.subtitle ?? null, fields.implementer, fields.beneficiary ?? null, fields.countries, body.trim()])).slice(0, 12)
}

/** Checks a translation's front matter: only text fields; a fact names the record it belongs to. Returns its fields or every problem. */
export function validateTranslation(source: SourceRecord, recordFile: string): TranslationFields | SheetError[] {
  if (source.errors.length > 0) return source.errors
  const data = source.data ?? {}
  const errors: SheetError[] = []
  const at = (fieldPath: (string | number)[]) => ({ file: source.file, line: locate(source.doc, source.lines, fieldPath) })
  const facts = typeof data === 'object' && !Array.isArray(data) ? Object.keys(data as object).filter((key) => Object.hasOwn(recordSchema.shape, key) && !(TRANSLATED_FIELDS as readonly string[]).includes(key)) : []
  for (const key of facts) {
    const message = key === 'lang' ? 'lang comes from the file name (<id>.<lang>.md), not from a field' : `${key} is a fact of the record ${recordFile}, not of a translation: set it there`
    const keyLine = source.text.split('\n').findIndex((line) => line.startsWith(`${key}:`)) + 1
    errors.push(new SheetError({ code: 'TranslationInvalid', message, field: key, loc: keyLine > 0 ? { file: source.file, line: keyLine } : at([key]) }))
  }
  const rest = Object.fromEntries(Object.entries(data as object).filter(([key]) => !facts.includes(key)))
  const parsed = translationSchema.safeParse(rest, { reportInput: true })
  if (!parsed.success) {
    const keys = (path: readonly (string | number)[]) => ({ noun: path.length === 0 ? 'a field of a translation' : `a key of ${fieldName(path)}`, known: path.length === 0 ? [...TRANSLATED_FIELDS, 'translated_from'] : [] })
    const context = { file: source.file, doc: source.doc, lines: source.lines, code: 'InvalidField', missingCode: 'MissingField', unknownCode: 'UnknownField', keys } as const
    for (const issue of parsed.error.issues) errors.push(...issueErrors(issue, context))
  }
  errors.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0))
  return errors.length > 0 || !parsed.success ? errors : parsed.data
}

/** A translation's countries overrides naming entries the record does not have: each a located error. */
export function unknownPlaces(source: SourceRecord, fields: TranslationFields, record: Pick<RecordFields, 'countries'>, recordFile: string): SheetError[] {
  return Object.keys(fields.countries ?? {}).flatMap((entry) =>
    record.countries.includes(entry)
      ? []
      : [new SheetError({ code: 'TranslationInvalid', message: `"${entry}" is not one of the countries of ${recordFile} (${record.countries.join(', ')})`, field: `countries.${entry}`, loc: { file: source.file, line: locate(source.doc, source.lines, ['countries', entry]) } })],
  )
}
