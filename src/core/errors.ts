/** The one error model: every problem a user can act on is a SheetError with a code from one catalogue, a place and a hint. */
import { distance } from 'fastest-levenshtein'

/** Exit codes, a contract for scripts and CI: 0 every record built, 1 a record failed, 2 the build could not start. */
export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** One entry of the catalogue: what the code means, the exit code it gives when it stops a command, its default hint. */
export interface ErrorKind {
  title: string
  exit: typeof EXIT_FAILED | typeof EXIT_USAGE
  hint?: string
}

/**
 * Every error code, with its title, exit code and default hint. Codes are permanent and searchable; a site that throws
 * adds what is specific (message, place, a better hint). Codes whose exit is 2 stop a whole command; the others fail
 * one record while the rest are built.
 */
export const ERROR_CATALOGUE = {
  FrontMatterSyntax: { title: 'The front matter is not valid YAML', exit: EXIT_FAILED, hint: 'check the indentation and quoting on this line and the one above' },
  FrontMatterLanguage: { title: 'The front matter is not YAML', exit: EXIT_FAILED, hint: 'start the record with a line of three dashes "---" alone; code, JSON and TOML front matter are not read' },
  RecordTooLarge: { title: 'The record is too large', exit: EXIT_FAILED, hint: 'move long texts out of the record, or split it into several projects' },
  MissingField: { title: 'A required field is missing', exit: EXIT_FAILED },
  InvalidField: { title: 'A field has a value it cannot take', exit: EXIT_FAILED },
  UnknownField: { title: 'A field the record format does not know', exit: EXIT_FAILED, hint: 'remove it, or check its spelling and indentation' },
  DuplicateId: { title: 'Two records have one id', exit: EXIT_FAILED, hint: 'give one of the two records another id: (or file name)' },
  TranslationInvalid: { title: 'A translation that does not fit its record', exit: EXIT_FAILED, hint: 'a translation <id>.<lang>.md holds only text (title, subtitle, implementer, beneficiary, countries) and the translated body' },
  WordsMissing: { title: "The theme has no words in the sheet's language", exit: EXIT_FAILED },
  ThemeNotFound: { title: 'The theme does not exist', exit: EXIT_USAGE, hint: 'create templates/<name>/theme.json, or pass --templates DIR' },
  ThemeInvalid: { title: 'The theme is not valid', exit: EXIT_USAGE },
  TemplateError: { title: 'A template cannot be compiled or rendered', exit: EXIT_USAGE, hint: 'use only fields of the sheet model (see docs/theming.md)' },
  RenderFailed: { title: 'The sheet could not be printed', exit: EXIT_FAILED },
  FontCoverage: { title: "A character is not in the theme's fonts", exit: EXIT_FAILED },
  Preflight: { title: 'The printed sheet failed preflight', exit: EXIT_FAILED, hint: 'fix the theme (fonts, links) or the record; --preflight warn prints it anyway' },
  PageBudget: { title: "The sheet runs over the theme's page budget", exit: EXIT_FAILED, hint: "shorten the record's text, or raise pages.max in the theme's theme.json" },
  RenderTimeout: { title: 'The sheet took too long to print', exit: EXIT_FAILED, hint: 'shorten very long tables or lists, or raise --timeout' },
  BrowserNotFound: { title: 'No browser to print with', exit: EXIT_USAGE, hint: 'install one (Debian/Ubuntu: sudo apt-get install chromium-headless-shell) or set PUPPETEER_EXECUTABLE_PATH to its executable' },
  BrowserCrashed: { title: 'The browser crashed too often', exit: EXIT_FAILED, hint: 'check the memory and the browser (chromium --version), then build again: finished sheets are kept' },
  OutputLocked: { title: 'Another build is writing to the output folder', exit: EXIT_USAGE, hint: 'wait for it to finish, or build into another folder with --out' },
  ShardMismatch: { title: 'Shard folders that do not belong together', exit: EXIT_USAGE, hint: 'build every shard with the same tool version, theme and --shard I/N split, then merge again' },
  FileSystemError: { title: 'A file or folder could not be read or written', exit: EXIT_USAGE, hint: 'check that the path exists and that you may read and write it' },
  ConfigInvalid: { title: 'The configuration is not valid', exit: EXIT_USAGE },
  UsageError: { title: 'The command was not used as it expects', exit: EXIT_USAGE, hint: 'run with --help to see the options' },
} as const satisfies Record<string, ErrorKind>

/** Permanent, searchable names for every kind of user-facing error. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** Where a problem is: a file (relative to the working directory) and, where known, its 1-based line. */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
}

/** Constructor properties of a SheetError; the hint defaults to the catalogue's. */
export interface SheetErrorProps {
  code: ErrorCode
  message: string
  loc?: SourceLocation
  field?: string
  hint?: string
  cause?: unknown
}

/** An error a user can act on: what is wrong and what was found, where, and what to do. */
export class SheetError extends Error {
  override readonly name = 'SheetError'
  readonly code: ErrorCode
  readonly loc?: SourceLocation
  readonly field?: string
  readonly hint?: string

  constructor(props: SheetErrorProps) {
    super(props.message, props.cause === undefined ? undefined : { cause: props.cause })
    this.code = props.code
    this.loc = props.loc
    this.field = props.field
    this.hint = props.hint ?? (ERROR_CATALOGUE[props.code] as ErrorKind).hint
  }

  /** The exit code this error gives when it stops a command. */
  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit
  }

  /** A copy with some properties replaced (a place, a hint, a field), keeping the code, the message and the cause. */
  with(changes: Partial<Omit<SheetErrorProps, 'cause'>>): SheetError {
    const { code, message, loc, field, hint } = this
    return new SheetError({ code, message, loc, field, hint, ...changes, cause: this.cause ?? this })
  }
}

/** True for errors that describe bad input or configuration rather than a bug. */
export function isSheetError(value: unknown): value is SheetError {
  return value instanceof SheetError
}

/** A short quoted rendering of a found value for "(got …)" parts of messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : `date ${value.toISOString().slice(0, 10)}`
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`
  if (typeof value === 'object') return 'a mapping'
  return String(value)
}

/** The candidate closest to a misspelt word, for "did you mean" hints; undefined when none is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/**
 * A filesystem failure (ENOENT, EACCES, ENOTDIR…) as a SheetError naming the path, in one sentence; anything else
 * is returned as it is (a bug, reported as an internal error).
 */
export function fileSystemError(cause: unknown, what: string, shown: string): unknown {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return cause
  const reason = FS_REASONS[code] ?? `failed (${code})`
  return new SheetError({ code: 'FileSystemError', message: `${what} ${shown} ${reason}`, loc: { file: shown }, cause })
}

// --- internal ---

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'is not a folder',
  EISDIR: 'is a folder, not a file',
  EACCES: 'cannot be read or written: permission denied',
  EPERM: 'cannot be read or written: permission denied',
  ENOSPC: 'cannot be written: the disk is full',
  EROFS: 'cannot be written: the file system is read-only',
}
