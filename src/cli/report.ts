/** The only module that prints: error blocks with a code frame, warnings, progress and the summary line. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { styleText } from 'node:util'
import { isSheetError, type SheetError } from '../core/errors.ts'

/** Where and how to print. */
export interface Reporter {
  error(error: unknown): void
  warn(file: string, message: string): void
  info(line: string): void
  progress(done: number, total: number, label: string): void
  summary(stats: BuildStats): void
}

/** The figures of a finished build for its summary line. */
export interface BuildStats {
  built: number
  skipped: number
  failed: string[]
  kept: string[]
  seconds: number
  checkOnly?: boolean
  checked?: number
  /** Stopped by a signal before every sheet was printed. */
  interrupted?: boolean
}

/** The header line of an error: `content/x.md:9 budget[1].currency: message`, the format users and tests rely on. */
export function errorHeader(error: SheetError): string {
  const where = error.loc ? `${error.loc.file}${error.loc.line ? `:${error.loc.line}` : ''}` : ''
  const field = error.field ? `${error.field}: ` : ''
  // "file:line field: message"; with neither line nor field, "file: message".
  const gap = !where ? '' : error.loc?.line || field ? ' ' : ': '
  return printable(`${where}${gap}${field}${error.message}`)
}

/** Shows control characters from records as \\uXXXX, so no escape sequence from content reaches the terminal. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** An error block: header, a few lines of the file with the line marked, and the hint with the error code. */
export function formatError(error: SheetError, options: { cwd?: string; color?: boolean; verbose?: boolean } = {}): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text)
  const lines = [paint('red', errorHeader(error))]
  const frame = error.loc?.line ? codeFrame(path.resolve(options.cwd ?? process.cwd(), error.loc.file), error.loc.line) : ''
  if (frame) lines.push(paint('dim', frame))
  lines.push(printable(`    ${error.hint ? `hint: ${error.hint}   ` : ''}[${error.code}]`))
  if (options.verbose && error.stack) lines.push(paint('dim', String(error.cause instanceof Error ? error.cause.stack : error.stack)))
  return lines.join('\n')
}

/** A reporter on the process's streams; no colour for NO_COLOR, CI, or when not a terminal. */
export function createReporter(options: { verbose?: boolean; cwd?: string; quiet?: boolean } = {}): Reporter {
  const color = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && !process.env.CI
  const live = Boolean(process.stderr.isTTY) && !options.quiet
  let lastProgress = 0
  return {
    error(error) {
      if (live) process.stderr.write('\r\x1b[K')
      if (isSheetError(error)) process.stderr.write(`${formatError(error, { color, cwd: options.cwd, verbose: options.verbose })}\n\n`)
      else process.stderr.write(`internal error: ${error instanceof Error ? error.stack : String(error)}\n`)
    },
    warn(file, message) {
      if (live) process.stderr.write('\r\x1b[K')
      process.stderr.write(`${color ? styleText('yellow', 'warning') : 'warning'} ${printable(`${file}: ${message}`)}\n`)
    },
    info(line) {
      process.stderr.write(`${printable(line)}\n`)
    },
    progress(done, total, label) {
      if (options.quiet) return
      if (live) {
        process.stderr.write(`\r\x1b[K[${done}/${total}] ${label}`)
        if (done === total) process.stderr.write('\r\x1b[K')
        return
      }
      // Not a terminal: a line every tenth of the way, so logs stay short.
      const step = Math.max(1, Math.ceil(total / 10))
      if (done === total || done - lastProgress >= step) {
        lastProgress = done
        process.stderr.write(`[${done}/${total}] ${label}\n`)
      }
    },
    summary(stats) {
      process.stdout.write(`${summaryLine(stats)}\n`)
    },
  }
}

/** "Built 3 sheets, 1 failed, in 1.42 s (0.47 s each). Failed: content/x.md" */
export function summaryLine(stats: BuildStats): string {
  if (stats.checkOnly) {
    const checked = stats.checked ?? 0
    return `Checked ${checked} record${checked === 1 ? '' : 's'}: ${checked - stats.failed.length} valid, ${stats.failed.length} with errors${stats.failed.length ? `. Failed: ${stats.failed.join(', ')}` : ''}`
  }
  const each = stats.built > 0 ? ` (${(stats.seconds / stats.built).toFixed(2)} s each)` : ''
  const parts = [`${stats.interrupted ? 'Stopped: built' : 'Built'} ${stats.built} sheet${stats.built === 1 ? '' : 's'}`]
  if (stats.skipped) parts.push(`${stats.skipped} up to date`)
  if (stats.failed.length) parts.push(`${stats.failed.length} failed`)
  let line = `${parts.join(', ')}, in ${stats.seconds.toFixed(2)} s${each}.`
  if (stats.failed.length) line += ` Failed: ${stats.failed.join(', ')}.`
  if (stats.kept.length) line += ` Kept from the last build (stale): ${stats.kept.join(', ')}.`
  return line
}

// --- internal ---

function codeFrame(file: string, line: number): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return ''
  }
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  if (line < 1 || line > lines.length) return ''
  const first = Math.max(1, line - 2)
  const last = Math.min(lines.length, line + 1)
  const width = String(last).length
  const out: string[] = []
  for (let n = first; n <= last; n++) {
    // Control characters from a record never reach the terminal (no escape sequences from content).
    const plain = lines[n - 1].replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd')
    const content = plain.length > 120 ? `${plain.slice(0, 117)}...` : plain
    out.push(`  ${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${content}`)
  }
  return out.join('\n')
}
