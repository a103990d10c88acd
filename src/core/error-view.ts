/** An error as data for whoever shows it (the terminal, the preview's overlay): header, place, code frame and hint. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isSheetError, type ErrorCode, type SheetError } from './errors.ts'

/** One line of a code frame: its number, its text (control characters replaced), and whether it is the error's line. */
export interface FrameLine {
  number: number
  text: string
  current: boolean
}

/** Everything a user is shown of an error, as plain fields. */
export interface ErrorView {
  /** "internal" for a bug (anything that is not a SheetError). */
  code: ErrorCode | 'internal'
  /** `content/x.md:9 budget[1].currency: message`: the stable first line. */
  header: string
  file?: string
  line?: number
  field?: string
  message: string
  /** A few lines of the file around `line`; empty when unknown or unreadable. */
  frame: FrameLine[]
  /** What to do, without a "hint:" prefix. */
  hint?: string
  /** The stack trace, for internal errors (and SheetErrors when asked). */
  stack?: string
}

/** The header line of an error: `content/x.md:9 budget[1].currency: message`, the format users and tests rely on. */
export function errorHeader(error: Pick<SheetError, 'loc' | 'field' | 'message'>): string {
  const where = error.loc ? `${error.loc.file}${error.loc.line ? `:${error.loc.line}` : ''}` : ''
  const field = error.field ? `${error.field}: ` : ''
  // "file:line field: message"; with neither line nor field, "file: message".
  const gap = !where ? '' : error.loc?.line || field ? ' ' : ': '
  return printable(`${where}${gap}${field}${error.message}`)
}

/** Shows control characters from records as \\uXXXX, so no escape sequence from content reaches a terminal. */
export function printable(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** Describes any thrown value; a SheetError's file is read (relative to cwd) for the code frame. */
export function describeError(error: unknown, cwd: string, options: { stack?: boolean } = {}): ErrorView {
  if (!isSheetError(error)) {
    const message = error instanceof Error ? error.message : String(error)
    return { code: 'internal', header: `internal error: ${printable(message)}`, message, frame: [], stack: error instanceof Error ? error.stack : undefined }
  }
  const { loc } = error
  const cause = error.cause instanceof Error ? error.cause : error
  return {
    code: error.code,
    header: errorHeader(error),
    file: loc?.file,
    line: loc?.line,
    field: error.field,
    message: error.message,
    frame: loc?.line ? codeFrame(path.resolve(cwd, loc.file), loc.line) : [],
    hint: error.hint,
    stack: options.stack ? cause.stack : undefined,
  }
}

/** A code frame as text: `  > 9 | currency: EURO`, the error's line marked. */
export function frameText(frame: readonly FrameLine[]): string {
  const width = String(frame[frame.length - 1]?.number ?? '').length
  return frame.map((line) => `  ${line.current ? '>' : ' '} ${String(line.number).padStart(width)} | ${line.text}`).join('\n')
}

/** The hint line: `    hint: did you mean "EUR"?   [InvalidField]`. */
export function hintText(view: Pick<ErrorView, 'hint' | 'code'>): string {
  return printable(`    ${view.hint ? `hint: ${view.hint}   ` : ''}[${view.code}]`)
}

// --- internal ---

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

function codeFrame(file: string, line: number): FrameLine[] {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  if (line < 1 || line > lines.length) return []
  const frame: FrameLine[] = []
  for (let n = Math.max(1, line - 2); n <= Math.min(lines.length, line + 1); n++) {
    // Control characters from a record never reach the terminal (no escape sequences from content); a tab, invisible
    // in a frame, is shown as → (YAML refuses tabs as indentation).
    const plain = lines[n - 1].replace(CONTROL, '\ufffd').replace(/\t/g, '→')
    frame.push({ number: n, text: plain.length > 120 ? `${plain.slice(0, 117)}...` : plain, current: n === line })
  }
  return frame
}
