/** The YAML slips people make (an unclosed quote, a quoted phrase, a colon in a value, a tab, a tag) as plain sentences with the fix. */
import { LineCounter, parseDocument, visit, type Document, type Scalar } from 'yaml'
import { SheetError, type ErrorCode } from './errors.ts'
import { fieldAtLine, fieldName, fieldOf, pathOf } from './yaml-paths.ts'

/** How the yaml package reads every text users write: YAML 1.2 core schema, duplicate keys refused, errors as data. */
export const PARSE_OPTIONS = { schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true } as const

/** What syntax messages need to know of a file. */
export interface SyntaxContext {
  /** The file as shown to users. */
  file: string
  /** The code of its syntax errors: FrontMatterSyntax, ConfigInvalid, ThemeInvalid… */
  code: ErrorCode
  /** What messages call the text: "front matter", "theme.json", or "" for a file named by the error's place. */
  subject: string
  /** The language users are told to write: "YAML", "JSON", "YAML or JSON". */
  language: string
}

/**
 * Every syntax problem of a parsed text, each in a plain sentence with its fix and, where it belongs to one, its field.
 * An unclosed quote swallows the rest of the text: it is reported at the line where it opens, and the text is read again
 * without that line, so that the problems further down (a tab, a tag…) come in the same run.
 */
export function syntaxErrors(text: string, doc: Document, lines: LineCounter, context: SyntaxContext): SheetError[] {
  const errors: SheetError[] = []
  let current: Parsed = { text, doc, lines }
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const quote = unclosedQuote(current)
    errors.push(...explicitTags(current, context))
    for (const problem of [...current.doc.errors, ...current.doc.warnings]) {
      // Everything from the open quote on is the quote's consequence (the parser reports it at the end of the text).
      if (!quote || problem.pos[0] < quote.start) errors.push(translate(problem, current, context))
    }
    if (!quote) break
    const { line, col } = current.lines.linePos(quote.start)
    errors.push(quoteError(quote.node, line, col - 1, current, context))
    current = reparse(blankLine(current.text, line))
  }
  return errors
}

/** A YAML tag is never needed in files users write: even the ones the parser knows (!!binary, !!set) change what a value is. */
export function tagError(tag: string, loc: { file: string; line: number }, code: ErrorCode, field?: string): SheetError {
  return new SheetError({ code, message: `YAML tags are not allowed (got ${JSON.stringify(tag.slice(0, 60))})`, loc, field, hint: 'remove the !!tag and write a plain value' })
}

// --- internal ---

/** Unclosed quotes set aside per file; a file with more is reported up to here. */
const MAX_ROUNDS = 10

interface Parsed {
  text: string
  doc: Document
  lines: LineCounter
}

interface Problem {
  message: string
  code: string
  pos: [number, number]
}

const say = (subject: string, predicate: string) => (subject ? `${subject} ${predicate}` : predicate)

function reparse(text: string): Parsed {
  const lines = new LineCounter()
  return { text, doc: parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines }), lines }
}

/** The text with one line emptied (the line count, and so every other line's number, unchanged). */
function blankLine(text: string, line: number): string {
  const all = text.split('\n')
  all[line - 1] = ''
  return all.join('\n')
}

/** The quoted value the parser reports as not closed: the last quoted scalar of that kind before the report. */
function unclosedQuote({ doc }: Parsed): { node: Scalar; start: number } | undefined {
  const missing = doc.errors.find((error) => error.code === 'MISSING_CHAR' && /closing ["']?quote/i.test(error.message))
  if (!missing) return undefined
  const type = missing.message.includes("'") ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE'
  let found: { node: Scalar; start: number } | undefined
  visit(doc, {
    Scalar(_key, node) {
      const start = node.range?.[0]
      if (node.type === type && start !== undefined && start < missing.pos[0] && (!found || start > found.start)) found = { node, start }
    },
  })
  return found
}

function quoteError(quote: Scalar, line: number, column: number, { text, doc }: Parsed, context: SyntaxContext): SheetError {
  const mark = quote.type === 'QUOTE_SINGLE' ? "'" : '"'
  const lineText = text.split('\n')[line - 1] ?? ''
  const field = fieldOf(doc, quote)
  return new SheetError({
    code: context.code,
    message: field ? `opens a quote (${mark}) that is never closed` : say(context.subject, `opens a quote (${mark}) that is never closed`),
    loc: { file: context.file, line },
    field,
    hint: `close it at the end of the value: ${closed(lineText, column, mark).trim().slice(0, 100)}`,
  })
}

/** The line with the quote opened at `from` closed where its value ends: before a comment or at the line's end, or in { } and [ ] at the next , } or ]. */
function closed(lineText: string, from: number, mark: string): string {
  const inFlow = /[[{]/.test(lineText.slice(0, from))
  // A comment after the value (the skeleton of new:sheet has one on every line) was meant to stay outside the quotes.
  const comment = /\s+#/.exec(lineText.slice(from + 1))
  const blockEnd = comment ? from + 1 + comment.index : lineText.trimEnd().length
  const end = inFlow ? from + 1 + /^[^,}\]]*?(?=\s*(?:[,}\]]|$))/.exec(lineText.slice(from + 1))![0].length : blockEnd
  return `${lineText.slice(0, end)}${mark}${lineText.slice(end)}`
}

/** One parser problem as a sentence a programme officer can act on; the parser's own words only when no slip fits. */
function translate(problem: Problem, parsed: Parsed, context: SyntaxContext): SheetError {
  const { line, col } = parsed.lines.linePos(problem.pos[0])
  const lineText = parsed.text.split('\n')[line - 1] ?? ''
  const at = (where: number, props: { message: string; hint: string; field?: string }) =>
    new SheetError({ code: context.code, loc: { file: context.file, line: where, column: where === line ? col : undefined }, ...props })
  const found = parsed.text.slice(problem.pos[0]).split('\n')[0].slice(0, 60)
  const field = fieldAtLine(parsed, line)
  switch (problem.code) {
    case 'TAG_RESOLVE_FAILED':
    case 'BAD_TAG':
      return tagError(/^!\S*/.exec(found)?.[0] || 'a tag', { file: context.file, line }, context.code, field)
    case 'DUPLICATE_KEY': {
      const key = /^\s*["']?([^"':]+)/.exec(found)?.[1]?.trim()
      return at(line, { message: `${key ? `the field "${key}"` : 'a field'} is given twice`, field: key, hint: 'keep one of the two lines' })
    }
    case 'TAB_AS_INDENT':
      return at(line, { message: say(context.subject, 'is indented with a tab (shown as →)'), hint: 'indent with spaces: YAML does not allow tabs' })
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return colonOrIndent(parsed, line, lineText, context, field) ?? generic(problem, at, line, context)
    case 'UNEXPECTED_TOKEN':
      return quotedPhrase(lineText, field, (props) => at(line, props)) ?? generic(problem, at, line, context)
    case 'BAD_INDENT':
      // JSON lists may span lines: only YAML's flow lists are meant to close on their line.
      if (!context.language.includes('YAML')) return generic(problem, at, line, context)
      return unclosedBracket(parsed, line, problem.message, context) ?? generic(problem, at, line, context)
    default:
      return generic(problem, at, line, context)
  }
}

type At = (line: number, props: { message: string; hint: string; field?: string }) => SheetError

function generic(problem: Problem, at: At, line: number, context: SyntaxContext): SheetError {
  const first = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
  return at(line, { message: say(context.subject, `is not valid ${context.language}: ${first}`), hint: 'check the indentation and quoting on this line and the one above' })
}

/** `title: Migration: the next steps` (a colon inside a value), or a line indented deeper than the one above it. */
function colonOrIndent(parsed: Parsed, line: number, lineText: string, context: SyntaxContext, field?: string): SheetError | undefined {
  const pair = /^(\s*(?:-\s+)?)([^\s:#"'][^:#]*?):\s+(.*?)\s*$/.exec(lineText)
  if (pair && /:(\s|$)/.test(pair[3]) && !/^["'[{]/.test(pair[3])) {
    const value = pair[3].replace(/\s+#.*$/, '')
    return new SheetError({
      code: context.code,
      message: `holds a colon followed by a space, which YAML reads as the start of another field (got ${JSON.stringify(value.slice(0, 60))})`,
      loc: { file: context.file, line },
      field: field ?? pair[2],
      hint: `put the whole value in quotes: ${pair[2]}: ${quoteAll(value)}`,
    })
  }
  const all = parsed.text.split('\n')
  const indent = (text: string) => /^ */.exec(text)![0].length
  const next = all.findIndex((text, index) => index >= line && text.trim() !== '' && !text.trim().startsWith('#'))
  if (next === -1 || indent(all[next]) <= indent(lineText)) return undefined
  return new SheetError({
    code: context.code,
    message: say(context.subject, 'has a line indented deeper than the field above it, so YAML reads it as part of that value'),
    loc: { file: context.file, line: next + 1 },
    hint: 'start it in the same column as the field above (with spaces), or under a field that ends with a colon',
  })
}

/** `title: "Big" project`: a value that starts with a quoted phrase and goes on after it. */
function quotedPhrase(lineText: string, field: string | undefined, at: (props: { message: string; hint: string; field?: string }) => SheetError): SheetError | undefined {
  const pair = /^(\s*(?:-\s+)?)([^\s:#"'][^:#]*?):\s+((["']).*?\4.*?)\s*$/.exec(lineText)
  if (!pair) return undefined
  const value = pair[3].replace(/\s+#.*$/, '')
  return at({
    message: `starts with a quoted phrase and goes on after it (got ${JSON.stringify(value.slice(0, 60))})`,
    field: field ?? pair[2],
    hint: `put the whole value in quotes, with the other kind of quote around it: ${pair[2]}: ${quoteAll(value)}`,
  })
}

/** `countries: [EU countries, Jordan` — the parser notices on a later line; the list opens on the line named here. */
function unclosedBracket(parsed: Parsed, line: number, message: string, context: SyntaxContext): SheetError | undefined {
  const kind = /Flow (sequence|map)/.exec(message)?.[1]
  if (!kind) return undefined
  const [open, close] = kind === 'sequence' ? ['[', ']'] : ['{', '}']
  const all = parsed.text.split('\n')
  const count = (text: string, char: string) => text.split(char).length - 1
  for (let n = line - 1; n >= 1; n--) {
    const text = all[n - 1]
    if (count(text, open) <= count(text, close)) continue
    return new SheetError({
      code: context.code,
      message: `${kind === 'sequence' ? 'a list opened with [' : 'a mapping opened with {'} is not closed on its line`,
      loc: { file: context.file, line: n },
      field: fieldAtLine(parsed, n),
      hint: `end it with ${close} on the same line: ${text.trim().slice(0, 100)}${close}`,
    })
  }
  return undefined
}

/** A value in the quotes it does not contain: '"Big" project', or "Migration: the next steps". */
function quoteAll(value: string): string {
  if (!value.includes('"')) return `"${value.replace(/\\/g, '\\\\')}"`
  return `'${value.replace(/'/g, "''")}'`
}

function explicitTags({ doc, lines }: Parsed, context: SyntaxContext): SheetError[] {
  const errors: SheetError[] = []
  visit(doc, {
    Node(_key, node, ancestors) {
      if (!node.tag || !node.range) return
      const tag = node.tag.replace(/^tag:yaml\.org,2002:/, '!!')
      const field = fieldName(pathOf(ancestors, node)) || undefined
      errors.push(tagError(tag, { file: context.file, line: lines.linePos(node.range[0]).line }, context.code, field))
    },
  })
  return errors
}
