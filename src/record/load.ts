/** Stage 1: a content folder → SourceRecord[]: each file's text split into a YAML document and a Markdown body. */
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import matter from 'gray-matter'
import { LineCounter, parseDocument, visit, type Document } from 'yaml'
import { SheetError } from '../core/errors.ts'

/** Records larger than this are refused before parsing (see the security model in the README). */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024

/** Aliases a record may expand; a "billion laughs" record stops here. */
export const MAX_ALIAS_COUNT = 100

/** One record file as read: its text, its front matter as a YAML document with line numbers, its body. */
export interface SourceRecord {
  /** The file's path as shown to users (relative to the working directory). */
  file: string
  /** The file's absolute path. */
  path: string
  /** The id the file name gives (file name without .md). */
  fileId: string
  /** The whole text, with CRLF turned into LF and any BOM removed. */
  text: string
  /** The parsed front matter as plain data (undefined when it could not be parsed). */
  data: unknown
  /** The YAML document, for finding the line of any field. */
  doc?: Document
  /** Maps offsets in the front matter to lines; its lines are the file's lines. */
  lines: LineCounter
  /** The Markdown after the front matter. */
  body: string
  /** The file line the body starts on. */
  bodyLine: number
  /** Problems found while reading: too large, not YAML, broken YAML. */
  errors: SheetError[]
}

/** Lists the record files of a content folder (*.md, sorted, not recursing into sub-folders). */
export async function listRecordFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
    .map((entry) => path.join(dir, entry.name))
    .sort()
}

/** A record file's text as read (BOM removed, CRLF as LF), or undefined when it is over the size limit. */
export async function readRecordText(filePath: string): Promise<string | undefined> {
  if ((await stat(filePath)).size > MAX_RECORD_BYTES) return undefined
  return (await readFile(filePath, 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
}

/** Reads one record file into a SourceRecord (or parses text already read); never throws for bad content. */
export async function loadRecord(filePath: string, cwd: string, text?: string): Promise<SourceRecord> {
  const file = path.relative(cwd, filePath) || filePath
  const content = text ?? (await readRecordText(filePath))
  if (content === undefined) {
    const size = (await stat(filePath)).size
    const error = new SheetError({
      code: 'RecordTooLarge',
      message: `record is ${(size / 1048576).toFixed(1)} MB, more than the ${MAX_RECORD_BYTES / 1048576} MB a fact sheet can hold`,
      loc: { file },
      hint: 'move long texts out of the record, or split it into several projects',
    })
    const fileId = path.basename(filePath, '.md')
    return { file, path: filePath, fileId, text: '', data: undefined, lines: new LineCounter(), body: '', bodyLine: 1, errors: [error] }
  }
  return parseRecordText(content, file, filePath)
}

/** Splits a record's text into front matter and body and parses the front matter as YAML 1.2 (core schema only). */
export function parseRecordText(text: string, file: string, filePath = file): SourceRecord {
  const fileId = path.basename(filePath, '.md')
  const lines = new LineCounter()
  const base = { file, path: filePath, fileId, text, lines }
  if (!text.startsWith('---')) {
    const error = new SheetError({
      code: 'FrontMatterSyntax',
      message: 'the record has no front matter',
      loc: { file, line: 1 },
      hint: 'start the file with a line of three dashes ---, then the fields (title:, status: ...), then another --- line',
    })
    return { ...base, data: undefined, body: text, bodyLine: 1, errors: [error] }
  }
  // "---js", "---toml"...: the language is read here, before gray-matter, which would run or parse it.
  const language = text.slice(3, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')).trim()
  if (language !== '' && !/^ya?ml$/i.test(language)) return { ...base, data: undefined, body: '', bodyLine: 1, errors: [languageError(language, file)] }
  let split: matter.GrayMatterFile<string>
  try {
    split = matter(text, { engines: REFUSING_ENGINES, language: 'yaml' })
  } catch (cause) {
    return { ...base, data: undefined, body: '', bodyLine: 1, errors: [languageError(String((cause as Error).message), file)] }
  }
  const bodyLine = lineOf(text, text.length - split.content.length)
  try {
    return parseFrontMatter(split.matter, { ...base, body: split.content, bodyLine })
  } catch (cause) {
    // The YAML parser recurses: thousands of nested brackets exhaust the stack. That is this record's error alone.
    if (!(cause instanceof RangeError)) throw cause
    const error = new SheetError({
      code: 'FrontMatterSyntax',
      message: 'front matter is nested too deeply to read',
      loc: { file, line: 2 },
      hint: 'write the fields as plain values and short lists',
      cause,
    })
    return { ...base, data: undefined, body: split.content, bodyLine, errors: [error] }
  }
}

function parseFrontMatter(matterText: string, base: Omit<SourceRecord, 'data' | 'doc' | 'errors'>): SourceRecord {
  const { file, lines } = base
  const doc = parseDocument(matterText, { lineCounter: lines, schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true })
  const problems = [...doc.errors, ...doc.warnings]
  // One error a line: the parser often reports a single slip twice.
  const errors = [...problems.map((problem) => yamlError(problem, matterText, file, lines)), ...explicitTags(doc, file, lines)].filter(
    (error, index, all) => all.findIndex((other) => other.loc?.line === error.loc?.line) === index,
  )
  if (errors.length > 0) return { ...base, doc, data: undefined, errors }
  try {
    return { ...base, doc, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}, errors: [] }
  } catch (cause) {
    const error = new SheetError({
      code: 'FrontMatterSyntax',
      message: `front matter repeats YAML aliases (*name) too often: more than ${MAX_ALIAS_COUNT} copies`,
      loc: { file, line: firstAliasLine(doc, lines) },
      hint: 'write the values out instead of repeating them with &anchors and *aliases',
      cause,
    })
    return { ...base, doc, data: undefined, errors: [error] }
  }
}

// --- internal ---

/** gray-matter would evaluate ---js front matter as code; every engine but our YAML pass is refused. */
function refuse(language: string) {
  return () => {
    throw new Error(language)
  }
}
const REFUSING_ENGINES = Object.fromEntries(
  ['js', 'javascript', 'json', 'toml', 'coffee', 'coffeescript', 'cson'].map((name) => [name, { parse: refuse(name), stringify: refuse(name) }]),
) as unknown as Record<string, (input: string) => object>
// The YAML engine only splits: the text is parsed by the yaml package (safe core schema, line numbers) below.
;(REFUSING_ENGINES as Record<string, unknown>).yaml = { parse: () => ({}), stringify: () => '' }

function languageError(found: string, file: string): SheetError {
  return new SheetError({
    code: 'FrontMatterLanguage',
    message: `front matter must be YAML (got ${JSON.stringify(`---${found.slice(0, 40)}`)})`,
    loc: { file, line: 1 },
    hint: 'start the record with a line of three dashes "---" alone; code, JSON and TOML front matter are not read',
  })
}

function yamlError(problem: { message: string; code: string; pos: [number, number] }, matter: string, file: string, lines: LineCounter): SheetError {
  const { line, col } = lines.linePos(problem.pos[0])
  const loc = { file, line, column: col }
  const found = matter.slice(problem.pos[0]).split('\n')[0].slice(0, 60)
  if (problem.code === 'TAG_RESOLVE_FAILED' || problem.code === 'BAD_TAG') {
    const tag = /^!\S*/.exec(found)?.[0] ?? found
    return new SheetError({
      code: 'FrontMatterSyntax',
      message: `YAML tags are not allowed (got ${JSON.stringify(tag || 'a tag')})`,
      loc,
      hint: 'remove the !!tag and write a plain value',
    })
  }
  if (problem.code === 'DUPLICATE_KEY') {
    const key = /^\s*["']?([^"':]+)/.exec(found)?.[1]?.trim()
    return new SheetError({
      code: 'FrontMatterSyntax',
      message: `${key ? `the field "${key}"` : 'a field'} is given twice`,
      loc,
      field: key,
      hint: 'keep one of the two lines',
    })
  }
  const firstLine = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  return new SheetError({
    code: 'FrontMatterSyntax',
    message: `front matter is not valid YAML: ${firstLine}`,
    loc,
    hint: 'check the indentation and quoting on this line and the one above',
  })
}

/** Records never need YAML tags; even the ones the parser knows (!!binary, !!set, !!timestamp) change what a value is. */
function explicitTags(doc: Document, file: string, lines: LineCounter): SheetError[] {
  const errors: SheetError[] = []
  visit(doc, {
    Node(_key, node) {
      if (!node.tag || !node.range) return
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!')
      errors.push(
        new SheetError({
          code: 'FrontMatterSyntax',
          message: `YAML tags are not allowed (got ${JSON.stringify(tag.slice(0, 60))})`,
          loc: { file, line: lines.linePos(node.range[0]).line },
          hint: 'remove the !!tag and write a plain value',
        }),
      )
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

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
