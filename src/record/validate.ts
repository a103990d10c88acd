/** Stage 2: SourceRecord → SheetRecord, or every problem of that record, each with its file, line and field. */
import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml'
import type { z } from 'zod'
import { closest, describeValue, SheetError, type ErrorCode } from '../core/errors.ts'
import { CURRENCY_CODES } from '../core/format.ts'
import { checkRecordRules, ID_PATTERN, RECORD_FIELDS, recordSchema, STATUSES, type RecordFields } from './schema.ts'
import type { SourceRecord } from './load.ts'
import { findImagesWithoutAlt } from '../core/markdown.ts'

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
  const data = source.data
  const errors: SheetError[] = []
  const parsed = recordSchema.safeParse(data, { reportInput: true })
  if (!parsed.success) for (const issue of parsed.error.issues) errors.push(...issueErrors(issue, source))
  for (const rule of checkRecordRules(data)) {
    if (!errors.some((e) => e.field === fieldName(rule.path)))
      errors.push(locatedError(source, rule.path, 'InvalidField', `${rule.message} (got ${describeValue(rule.input)})`))
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
  const checked = sources.map((source) => ({ source, result: validateRecord(source) }))
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
      failures.push({ file: source.file, errors: [withHint(error, 'give one of the two records another id: (or file name)')] })
      continue
    }
    owners.set(result.id, source.file)
    records.push(result)
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

/**
 * The file line of a field: the line of its value, or of its nearest existing parent for a missing field.
 * The front matter text starts on the line of the opening ---, so its lines are the file's lines.
 */
export function locate(doc: Document | undefined, lines: LineCounter, fieldPath: readonly (string | number)[], atKey = false): number {
  if (!doc) return 1
  for (let depth = fieldPath.length; depth > 0; depth--) {
    const sub = fieldPath.slice(0, depth)
    const node = atKey && depth === fieldPath.length ? keyNode(doc, sub) : doc.getIn(sub, true)
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line
  }
  // A missing top-level field belongs to the record as a whole: its opening --- line.
  return 1
}

/** "budget[1].currency" for ['budget', 1, 'currency']. */
export function fieldName(fieldPath: readonly PropertyKey[]): string {
  return fieldPath.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('')
}

// --- internal ---

function keyNode(doc: Document, fieldPath: readonly (string | number)[]): unknown {
  const parent = fieldPath.length === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, -1), true)
  if (!isMap(parent)) return undefined
  const last = fieldPath[fieldPath.length - 1]
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last))
  return pair?.key
}

function issueErrors(issue: z.core.$ZodIssue, source: SourceRecord): SheetError[] {
  const at = issue.path.filter((p): p is string | number => typeof p !== 'symbol')
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const known = knownKeys(at)
      const suggestion = closest(key, known)
      const message = `is not a field of ${at.length === 0 ? 'a record' : fieldName(at)} (expected one of ${known.join(', ')})`
      const error = new SheetError({
        code: 'UnknownField',
        message,
        field: fieldName([...at, key]),
        hint: suggestion ? `did you mean "${suggestion}"?` : 'remove it, or check its spelling and indentation',
        loc: { file: source.file, line: locate(source.doc, source.lines, [...at, key], true) },
      })
      return error
    })
  }
  const missing = issue.input == null && issue.code !== 'custom'
  const found = issue.code === 'too_big' && typeof issue.input === 'string' ? `${issue.input.length} characters` : describeValue(issue.input)
  const message = missing ? `is required: ${issue.message} (got ${found})` : `${issue.message} (got ${found})`
  return [locatedError(source, at, missing ? 'MissingField' : 'InvalidField', message, hintFor(at, issue.input))]
}

function hintFor(at: readonly (string | number)[], input: unknown): string | undefined {
  const last = at[at.length - 1]
  if (typeof input !== 'string') {
    if (last === 'countries' && typeof input === 'string') return 'write countries as a list: [Jordan, Lebanon]'
    return undefined
  }
  if (last === 'currency') {
    const guess = CURRENCY_CODES.includes(input.toUpperCase()) ? input.toUpperCase() : closest(input, CURRENCY_CODES)
    return guess ? `did you mean "${guess}"?` : 'use the ISO 4217 code, such as EUR, USD or GBP'
  }
  if (last === 'status') {
    const guess = closest(input, STATUSES)
    return guess ? `did you mean "${guess}"?` : undefined
  }
  if (last === 'countries') return 'write countries as a list: [Jordan, Lebanon]'
  return undefined
}

function knownKeys(at: readonly (string | number)[]): string[] {
  if (at.length === 0) return [...RECORD_FIELDS]
  if (at[0] === 'period') return ['start', 'end']
  if (at[0] === 'budget') return ['amount', 'currency', 'fund']
  return []
}

/** The id a failed record would have had, so its earlier PDF can be reported as kept. */
function guessId(source: SourceRecord): string | undefined {
  const declared = (source.data as { id?: unknown } | undefined)?.id
  const id = typeof declared === 'string' ? declared : source.fileId
  return ID_PATTERN.test(id) ? id : undefined
}

function withHint(error: SheetError, hint: string): SheetError {
  return new SheetError({ code: error.code, message: error.message, loc: error.loc, field: error.field, hint })
}
