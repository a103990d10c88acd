/** The only module that prints: error blocks with a code frame, warnings, progress, the summary line, help. */
import { styleText } from 'node:util'
import { describeError, frameText, hintText, printable } from '../core/error-view.ts'
import type { Reporter } from '../core/reporter.ts'

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

/** The command line's reporter: a build's Reporter, plus error blocks, the summary line and plain output. */
export interface CliReporter extends Reporter {
  /** The folder code frames are read from (the project's). */
  cwd: string
  error(error: unknown): void
  summary(stats: BuildStats): void
  out(text: string): void
}

/** An error block: header, a few lines of the file with the line marked, and the hint with the error code. */
export function formatError(error: unknown, options: { cwd: string; color?: boolean; verbose?: boolean }): string {
  const view = describeError(error, options.cwd, { stack: options.verbose })
  const paint = (style: Parameters<typeof styleText>[0], text: string) => (options.color ? styleText(style, text) : text)
  if (view.code === 'internal') return `${view.header}${view.stack ? `\n${view.stack}` : ''}`
  const lines = [paint('red', view.header)]
  if (view.frame.length > 0) lines.push(paint('dim', frameText(view.frame)))
  lines.push(hintText(view))
  if (view.stack) lines.push(paint('dim', view.stack))
  return lines.join('\n')
}

/** A reporter on the process's streams; no colour for NO_COLOR, CI, or when not a terminal. */
export function createReporter(options: { verbose?: boolean; cwd?: string; quiet?: boolean } = {}): CliReporter {
  const color = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR && !process.env.CI
  const live = Boolean(process.stderr.isTTY) && !options.quiet
  const clearLine = () => live && process.stderr.write('\r\x1b[K')
  let lastProgress = 0
  return {
    cwd: options.cwd ?? process.cwd(),
    error(error) {
      clearLine()
      process.stderr.write(`${formatError(error, { cwd: this.cwd, color, verbose: options.verbose })}\n\n`)
    },
    warn(file, message) {
      clearLine()
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
      if (done === total || done - lastProgress >= Math.max(1, Math.ceil(total / 10))) {
        lastProgress = done
        process.stderr.write(`[${done}/${total}] ${label}\n`)
      }
    },
    summary(stats) {
      process.stdout.write(`${summaryLine(stats)}\n`)
    },
    out(text) {
      process.stdout.write(`${text}\n`)
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
