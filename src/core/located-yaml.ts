/** YAML and JSON as users write them: parsed with line numbers, every problem a located SheetError, zod issues included. */
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml'
import type { z } from 'zod'
import { closest, describeValue, SheetError, type ErrorCode } from './errors.ts'

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
export interface YamlOptions {
  /** The file as shown to users. */
  file: string
  /** The code of its syntax errors: FrontMatterSyntax, ConfigInvalid, ThemeInvalid… */
  code: ErrorCode
  /** What messages call the text: "front matter", "theme.json", or "" for a file named by the error's place. */
  subject: string
  /** The language users are told to write: "YAML", "JSON", "YAML or JSON". */
  language: string
  /** Aliases the text may expand (a "billion laughs" text stops here). */
  maxAliasCount: number
}

/**
 * Parses YAML 1.2 with the core schema (no dates, no custom types): duplicate keys, explicit tags (!!js/function,
 * !!binary), too many alias copies and nesting too deep for the parser are errors with their lines, one per line.
 */
export function parseLocatedYaml(text: string, options: YamlOptions): LocatedYaml {
  const lines = new LineCounter()
  let doc: Document
  try {
    doc = parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true })
  } catch (cause) {
    // The parser recurses: thousands of nested brackets exhaust the stack. That is this file's error alone.
    if (!(cause instanceof RangeError)) throw cause
    const error = new SheetError({ code: options.code, message: say(options.subject, 'is nested too deeply to read'), loc: { file: options.file, line: 2 }, hint: 'write the fields as plain values and short lists', cause })
    return { lines, data: undefined, errors: [error] }
  }
  const problems = [...doc.errors, ...doc.warnings].map((problem) => syntaxError(problem, text, lines, options))
  // One error a line: the parser often reports a single slip twice.
  const errors = [...problems, ...explicitTags(doc, lines, options)].filter(
    (error, index, all) => all.findIndex((other) => other.loc?.line === error.loc?.line) === index,
  )
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

/** "budget[1].currency" for ['budget', 1, 'currency']. */
export function fieldName(fieldPath: readonly PropertyKey[]): string {
  return fieldPath.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`)).join('')
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
        loc: { file: context.file, line: locate(context.doc, context.lines, [...at, key], true) },
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
      loc: { file: context.file, line: locate(context.doc, context.lines, at) },
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

function syntaxError(problem: { message: string; code: string; pos: [number, number] }, text: string, lines: LineCounter, options: YamlOptions): SheetError {
  const { line, col } = lines.linePos(problem.pos[0])
  const loc = { file: options.file, line, column: col }
  const found = text.slice(problem.pos[0]).split('\n')[0].slice(0, 60)
  if (problem.code === 'TAG_RESOLVE_FAILED' || problem.code === 'BAD_TAG') return tagError(/^!\S*/.exec(found)?.[0] || 'a tag', loc, options.code)
  if (problem.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':]+)/.exec(found)?.[1]?.trim()
    return new SheetError({ code: options.code, message: `${key ? `the field "${key}"` : 'a field'} is given twice`, loc, field: key, hint: 'keep one of the two lines' })
  }
  const first = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  return new SheetError({ code: options.code, message: say(options.subject, `is not valid ${options.language}: ${first}`), loc, hint: 'check the indentation and quoting on this line and the one above' })
}

function tagError(tag: string, loc: { file: string; line: number }, code: ErrorCode): SheetError {
  return new SheetError({ code, message: `YAML tags are not allowed (got ${JSON.stringify(tag.slice(0, 60))})`, loc, hint: 'remove the !!tag and write a plain value' })
}

/** Files users write never need YAML tags; even the ones the parser knows (!!binary, !!set, !!timestamp) change what a value is. */
function explicitTags(doc: Document, lines: LineCounter, options: YamlOptions): SheetError[] {
  const errors: SheetError[] = []
  visit(doc, {
    Node(_key, node) {
      if (!node.tag || !node.range) return
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!')
      errors.push(tagError(tag, { file: options.file, line: lines.linePos(node.range[0]).line }, options.code))
    },
  })
  return errors
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
