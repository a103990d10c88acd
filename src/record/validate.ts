/** Stage 2: SourceRecord → SheetRecord, or every problem of that record, each with its file, line and field. */
import { closest, describeValue, SheetError, type ErrorCode } from '../core/errors.ts'
import { ID_PATTERN } from '../core/files.ts'
import { CURRENCY_CODES } from '../core/format.ts'
import { fieldName, issueErrors, locate, type IssueContext } from '../core/located-yaml.ts'
import { findImagesWithoutAlt } from '../core/markdown.ts'
import { NESTED_KEYS, readAsMeant } from './as-meant.ts'
import type { SourceRecord } from './load.ts'
import { checkRecordRules, RECORD_FIELDS, recordSchema, STATUSES, type RecordFields } from './schema.ts'
import { translationName } from './files.ts'
import { recordTextHash, unknownPlaces, validateTranslation } from './translation.ts'

/** A record that passed validation: its fields, its id and where it came from. */
export interface SheetRecord {
  /** The sheet's id: front matter `id`, or the file name. */
  id: string
  /** The file as shown to users. */
  file: string
  /** The file's absolute path. */
  path: string
  /** The validated front matter. */
  fields: RecordFields
  /** The Markdown body. */
  body: string
  /** The source, kept to locate later problems (unknown theme, programme) by line. */
  source: SourceRecord
  /** For a translation (<id>.<lang>.md): the record it translates, its words for places, its freshness. */
  translation?: Translation
}

/** What a translation adds to the record it translates. */
export interface Translation {
  /** The record's id, file and text. */
  of: string
  recordFile: string
  recordText: string
  /** How the translation writes `countries` entries (entry as the record writes it → words). */
  countries: Record<string, string>
  /** Its translated_from, or null when it has none. */
  translatedFrom: string | null
  /** The hash of the record's text fields and body now: what translated_from says when the translation is up to date. */
  recordHash: string
}

/** What validating a set of records gives: the good ones, and every problem of the others. */
export interface ValidationResult {
  records: SheetRecord[]
  failures: RecordFailure[]
}

/** A record that cannot be built, with all its problems. */
export interface RecordFailure {
  file: string
  id?: string
  errors: SheetError[]
}

/** Validates one record; returns it, or every problem found in it. */
export function validateRecord(source: SourceRecord): SheetRecord | SheetError[] {
  if (source.errors.length > 0) return source.errors
  // A misspelt field is checked as the field it stands for (#13): its content's errors come in this run, at their lines.
  const { data, errors, place } = readAsMeant(source, RECORD_FIELDS)
  const parsed = recordSchema.safeParse(data, { reportInput: true })
  if (!parsed.success) for (const issue of parsed.error.issues) errors.push(...issueErrors(issue, issueContext(source, place)))
  for (const rule of checkRecordRules(data)) {
    if (errors.some((e) => e.field === fieldName(rule.path))) continue
    const line = locate(source.doc, source.lines, place(rule.path))
    const message = `${rule.message} (got ${describeValue(rule.input)})`
    errors.push(new SheetError({ code: 'InvalidField', message, field: fieldName(rule.path), loc: { file: source.file, line } }))
  }
  const id = parsed.success ? (parsed.data.id ?? source.fileId) : undefined
  if (parsed.success && parsed.data.id === undefined && !ID_PATTERN.test(source.fileId)) {
    errors.push(
      new SheetError({
        code: 'InvalidField',
        message: `the file name gives the id "${source.fileId}", which is not lowercase letters, digits and hyphens`,
        loc: { file: source.file, line: 1 },
        field: 'id',
        hint: 'rename the file, or set id: in the front matter',
      }),
    )
  }
  for (const image of findImagesWithoutAlt(source.body)) {
    errors.push(
      new SheetError({
        code: 'InvalidField',
        message: `the image ${JSON.stringify(image.src.slice(0, 80))} has no text alternative`,
        field: 'body',
        loc: { file: source.file, line: source.bodyLine + image.line },
        hint: 'describe it between the brackets, such as ![Map of the border crossings](map.png): screen readers read it out',
      }),
    )
  }
  errors.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0))
  if (errors.length > 0 || !parsed.success || id === undefined) return errors
  return { id, file: source.file, path: source.path, fields: parsed.data, body: source.body, source }
}

/** Validates every record, and reports ids used by more than one file (naming both); `taken` ids belong to records read earlier. */
export function validateAll(sources: readonly SourceRecord[], taken: ReadonlyMap<string, string> = new Map()): ValidationResult {
  const records: SheetRecord[] = []
  const failures: RecordFailure[] = []
  const owners = new Map<string, string>(taken)
  const translations = sources.filter((source) => translationName(source.fileId))
  const checked = sources.filter((source) => !translations.includes(source)).map((source) => ({ source, result: validateRecord(source) }))
  // The file named <id>.md owns that id: another record declaring `id: <id>` can never take its place.
  const ownsName = (item: (typeof checked)[number]) => !Array.isArray(item.result) && item.result.id === item.source.fileId
  const ordered = [...checked.filter(ownsName), ...checked.filter((item) => !ownsName(item))]
  for (const { source, result } of ordered) {
    if (Array.isArray(result)) {
      failures.push({ file: source.file, id: guessId(source), errors: result })
      continue
    }
    const owner = owners.get(result.id)
    if (owner !== undefined) {
      const error = locatedError(source, result.fields.id === undefined ? [] : ['id'], 'DuplicateId', `the id "${result.id}" is already used by ${owner}`)
      // No id on this failure: the PDF of that id belongs to the other record, not to this one.
      failures.push({ file: source.file, errors: [error] })
      continue
    }
    owners.set(result.id, source.file)
    records.push(result)
  }
  const byId = new Map(records.map((record) => [record.id, record]))
  for (const source of translations) {
    const result = validateTranslated(source, byId, failures)
    if (Array.isArray(result)) failures.push({ file: source.file, id: source.fileId, errors: result })
    else records.push(result)
  }
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  return { records: records.sort(byFile), failures: failures.sort(byFile) }
}

/** Builds a SheetError located at a field of a record's front matter (its key's line, or its parent's). */
export function locatedError(source: SourceRecord, fieldPath: readonly (string | number)[], code: ErrorCode, message: string, hint?: string): SheetError {
  return new SheetError({
    code,
    message,
    field: fieldName(fieldPath) || undefined,
    hint,
    loc: { file: source.file, line: locate(source.doc, source.lines, fieldPath) },
  })
}

// --- internal ---

/** A translation merged with its record (the record's facts, the translation's text and body), or its problems. */
function validateTranslated(source: SourceRecord, records: ReadonlyMap<string, SheetRecord>, failures: readonly RecordFailure[]): SheetRecord | SheetError[] {
  const name = translationName(source.fileId)!
  const record = records.get(name.of)
  const at = { file: source.file, line: 1 }
  if (!record) {
    const failed = failures.find((failure) => failure.id === name.of)
    const message = failed ? `the record it translates, ${failed.file}, cannot be built: fix its errors first` : `it translates "${name.of}", but no record has that id (no ${name.of}.md beside it)`
    return [new SheetError({ code: 'TranslationInvalid', message, loc: at, hint: failed ? `the errors of ${failed.file} are reported with it; this translation builds once they are fixed` : 'name a translation <id>.<lang>.md after the record it translates, such as jempas-ii.fr.md beside jempas-ii.md' })]
  }
  const recordLang = record.fields.lang ?? 'en'
  if (recordLang === name.lang) return [new SheetError({ code: 'TranslationInvalid', message: `the record ${record.file} is in ${name.lang} already`, loc: at })]
  const fields = validateTranslation(source, record.file)
  if (Array.isArray(fields)) return fields
  const places = unknownPlaces(source, fields, record.fields, record.file)
  if (places.length > 0) return places
  const { title, subtitle, implementer, beneficiary } = fields
  const merged = { ...record.fields, title: title ?? record.fields.title, subtitle: subtitle ?? record.fields.subtitle, implementer: implementer ?? record.fields.implementer, beneficiary: beneficiary ?? record.fields.beneficiary, lang: name.lang }
  const translation = { of: record.id, recordFile: record.file, recordText: record.source.text, countries: fields.countries ?? {}, translatedFrom: fields.translated_from ?? null, recordHash: recordTextHash(record.fields, record.body) }
  return { id: source.fileId, file: source.file, path: source.path, fields: merged, body: source.body, source, translation }
}

function issueContext(source: SourceRecord, place: IssueContext['place']): IssueContext {
  const { file, doc, lines } = source
  return { file, doc, lines, place, code: 'InvalidField', missingCode: 'MissingField', unknownCode: 'UnknownField', keys: knownKeys, hint: hintFor }
}

/** The words people use for a project's status (#13), and the status each one is. */
const STATUS_SYNONYMS: Readonly<Record<string, (typeof STATUSES)[number]>> = {
  ...Object.fromEntries(['finished', 'closed', 'done', 'ended', 'over', 'concluded'].map((word) => [word, 'completed'])),
  ...Object.fromEntries(['active', 'running', 'in progress', 'current', 'started', 'underway', 'under way', 'open', 'on going'].map((word) => [word, 'ongoing'])),
  ...Object.fromEntries(['proposed', 'pipeline', 'in pipeline', 'upcoming', 'planning', 'future', 'not started', 'draft'].map((word) => [word, 'planned'])),
}

function hintFor(at: readonly (string | number)[], input: unknown): string | undefined {
  const last = at[at.length - 1]
  if (typeof input !== 'string') return undefined
  if (last === 'amount') {
    const plain = input.replace(/[^\d.]/g, '')
    if (!/^\d+(\.\d+)?$/.test(plain)) return undefined
    return `write ${plain}, without ${input.includes(',') ? 'thousands separators' : 'a currency sign or spaces'}`
  }
  if (last === 'currency') {
    const guess = CURRENCY_CODES.includes(input.toUpperCase()) ? input.toUpperCase() : closest(input, CURRENCY_CODES)
    return guess ? `did you mean "${guess}"?` : 'use the ISO 4217 code, such as EUR, USD or GBP'
  }
  if (last === 'status') {
    const synonym = STATUS_SYNONYMS[input.trim().toLowerCase().replace(/[\s_-]+/g, ' ')]
    if (synonym) return `write ${synonym}: the statuses are ${STATUSES.join(', ')}`
    const guess = closest(input, STATUSES)
    return guess ? `did you mean "${guess}"?` : undefined
  }
  if (last === 'countries') return 'write countries as a list: [Jordan, Lebanon]'
  return undefined
}

function knownKeys(at: readonly (string | number)[]): { noun: string; known: readonly string[] } {
  const noun = `a field of ${at.length === 0 ? 'a record' : fieldName(at)}`
  if (at.length === 0) return { noun, known: RECORD_FIELDS }
  if (at[0] === 'period') return { noun, known: NESTED_KEYS.period }
  if (at[0] === 'budget') return { noun, known: NESTED_KEYS.budget }
  return { noun, known: [] }
}

/** The id a failed record would have had, so its earlier PDF can be reported as kept. */
function guessId(source: SourceRecord): string | undefined {
  const declared = (source.data as { id?: unknown } | undefined)?.id
  const id = typeof declared === 'string' ? declared : source.fileId
  return ID_PATTERN.test(id) ? id : undefined
}
