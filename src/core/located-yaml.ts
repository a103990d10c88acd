/** YAML and JSON as users write them: parsed with line numbers, every problem a located SheetError, zod issues included. */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import { readCached, writeCached } from './disk-cache.ts'
import { closest, describeValue, SheetError, type ErrorCode } from './errors.ts'
import { fieldName } from './yaml-paths.ts'
import { PARSE_OPTIONS, syntaxErrors, type SyntaxContext } from './yaml-syntax.ts'

export { fieldName } from './yaml-paths.ts'

/** A parsed YAML (or JSON) text: the document for locating fields, its plain data, and what was wrong with it. */
export interface LocatedYaml {
  /** The document, for finding the line of any field; undefined when the text could not be read at all. */
  doc?: Document
  /** Maps offsets to lines. */
  lines: LineCounter
  /** The data (undefined when there were errors). */
  data: unknown
  errors: SheetError[]
}

/** How to parse and report one kind of file. */
export interface YamlOptions extends SyntaxContext {
  /** Aliases the text may expand (a "billion laughs" text stops here). */
  maxAliasCount: number
  /**
   * A theme's file, read by every build: its data, once read without a problem, is kept on disk (core/disk-cache.ts),
   * and the same text is parsed again only when a line is asked for (`doc`, `lines`).
   */
  keep?: boolean
  /**
   * A record's front matter: once its data is read without a problem, the document and its lines are let go (they were
   * half of what a build holds per record) and parsed again from the text only when a line is asked for (an error).
   */
  lazy?: boolean
}

/**
 * Parses YAML 1.2 with the core schema (no dates, no custom types): duplicate keys, explicit tags (!!js/function,
 * !!binary), too many alias copies and nesting too deep for the parser are errors with their lines, one per line.
 */
export function parseLocatedYaml(text: string, options: YamlOptions): LocatedYaml {
  if (options.lazy) {
    const parsed = parseNow(text, options)
    return parsed.errors.length > 0 ? parsed : locatedOnDemand(text, options, parsed.data)
  }
  if (!options.keep) return parseNow(text, options)
  const key = `${options.maxAliasCount}\n${text}`
  const kept = readCached('yaml', key)
  if (kept !== undefined) return locatedOnDemand(text, options, JSON.parse(kept) as unknown)
  const parsed = parseNow(text, options)
  if (parsed.errors.length === 0 && isJsonData(parsed.data)) writeCached('yaml', key, JSON.stringify(parsed.data))
  return parsed
}

/** Data read without a problem, with its document and lines parsed again from the text the first time either is asked for. */
function locatedOnDemand(text: string, options: YamlOptions, data: unknown): LocatedYaml {
  let parsed: LocatedYaml | undefined
  const now = () => (parsed ??= parseNow(text, options))
  return {
    data,
    errors: [],
    get doc() {
      return now().doc
    },
    get lines() {
      return now().lines
    },
  }
}

function parseNow(text: string, options: YamlOptions): LocatedYaml {
  const lines = new LineCounter()
  let doc: Document
  try {
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines })
  } catch (cause) {
    // The parser recurses: thousands of nested brackets exhaust the stack. That is this file's error alone.
    if (!(cause instanceof RangeError)) throw cause
    const error = new SheetError({ code: options.code, message: say(options.subject, 'is nested too deeply to read'), loc: { file: options.file, line: 2 }, hint: 'write the fields as plain values and short lists', cause })
    return { lines, data: undefined, errors: [error] }
  }
  // One error a line: the parser often reports a single slip twice.
  const errors = syntaxErrors(text, doc, lines, options)
    .filter((error, index, all) => all.findIndex((other) => other.loc?.line === error.loc?.line) === index)
    .sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0))
  if (errors.length > 0) return { doc, lines, data: undefined, errors }
  try {
    return { doc, lines, data: doc.toJS({ maxAliasCount: options.maxAliasCount }) ?? {}, errors: [] }
  } catch (cause) {
    const error = new SheetError({
      code: options.code,
      message: say(options.subject, `repeats YAML aliases (*name) too often: more than ${options.maxAliasCount} copies`),
      loc: { file: options.file, line: firstAliasLine(doc, lines) },
      hint: 'write the values out instead of repeating them with &anchors and *aliases',
      cause,
    })
    return { doc, lines, data: undefined, errors: [error] }
  }
}

/**
 * The line of a field: the line of its value, or of its nearest existing parent for a missing field (line 1 at the top
 * level); with `atKey`, the line of the key itself (for unknown keys).
 */
export function locate(doc: Document | undefined, lines: LineCounter, fieldPath: readonly (string | number)[], atKey = false): number {
  if (!doc) return 1
  for (let depth = fieldPath.length; depth > 0; depth--) {
    const sub = fieldPath.slice(0, depth)
    const node = atKey && depth === fieldPath.length ? keyNode(doc, sub) : doc.getIn(sub, true)
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line
  }
  return 1
}

/** What a kind of file says about its zod issues. */
export interface IssueContext {
  file: string
  doc?: Document
  lines: LineCounter
  /** The code of a wrong value. */
  code: ErrorCode
  /** The code of a missing value; without it a missing value is reported as a wrong one, without "is required". */
  missingCode?: ErrorCode
  /** The code of an unknown key (default: code). */
  unknownCode?: ErrorCode
  /** For an unknown key under `at`: what the parent is ("a field of a record", "a setting") and the keys it takes. */
  keys(at: readonly (string | number)[]): { noun: string; known: readonly string[] }
  /** Where a path of the data is in the file, when the data was read with renamed keys (default: the path itself). */
  place?(at: readonly (string | number)[]): (string | number)[]
  /** A hint for a wrong value at a path. */
  hint?(at: readonly (string | number)[], input: unknown): string | undefined
}

/**
 * The one zod issue → SheetError converter: the field's path and line, what was expected and what was found
 * ("(got "EURO")"), and for an unknown key the keys there are and the closest one.
 */
export function issueErrors(issue: z.core.$ZodIssue, context: IssueContext): SheetError[] {
  const at = issue.path.filter((part): part is string | number => typeof part !== 'symbol')
  if (issue.code === 'unrecognized_keys') {
    const { noun, known } = context.keys(at)
    return issue.keys.map((key) => {
      const guess = closest(key, known)
      return new SheetError({
        code: context.unknownCode ?? context.code,
        message: `is not ${noun}${known.length ? ` (expected one of ${known.join(', ')})` : ''}`,
        field: fieldName([...at, key]),
        hint: guess ? `did you mean "${guess}"?` : undefined,
        loc: { file: context.file, line: locate(context.doc, context.lines, context.place?.([...at, key]) ?? [...at, key], true) },
      })
    })
  }
  const missing = context.missingCode !== undefined && issue.input == null && issue.code !== 'custom'
  const found = issue.code === 'too_big' && typeof issue.input === 'string' ? `${issue.input.length} characters` : describeValue(issue.input)
  return [
    new SheetError({
      code: missing ? context.missingCode! : context.code,
      message: `${missing ? 'is required: ' : ''}${issue.message} (got ${found})`,
      field: fieldName(at) || undefined,
      hint: context.hint?.(at, issue.input),
      loc: { file: context.file, line: locate(context.doc, context.lines, context.place?.(at) ?? at) },
    }),
  ]
}

// --- internal ---

const say = (subject: string, predicate: string) => (subject ? `${subject} ${predicate}` : predicate)

function keyNode(doc: Document, fieldPath: readonly (string | number)[]): unknown {
  const parent = fieldPath.length === 1 ? doc.contents : doc.getIn(fieldPath.slice(0, -1), true)
  if (!isMap(parent)) return undefined
  const last = fieldPath[fieldPath.length - 1]
  const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last))
  return pair?.key
}

function firstAliasLine(doc: Document, lines: LineCounter): number {
  let line = 1
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lines.linePos(node.range[0]).line
      return visit.BREAK
    },
  })
  return line
}

/** True when JSON gives the same data back: plain objects and arrays of strings, booleans, null and finite numbers. */
function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0)
  if (Array.isArray(value)) return value.every(isJsonData)
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false
  return Object.entries(value).every(([key, item]) => key !== '__proto__' && isJsonData(item))
}
