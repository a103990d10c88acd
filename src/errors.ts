import { distance } from 'fastest-levenshtein'

/** The one error model: every problem a user can act on is a SheetError with a code, a place and a hint. */

/** Permanent, searchable names for every kind of user-facing error. */
export type ErrorCode =
  | 'FrontMatterSyntax' // YAML broken, duplicate keys, unknown tags, alias bombs
  | 'FrontMatterLanguage' // ---js, ---toml and every other engine than YAML
  | 'RecordTooLarge'
  | 'MissingField'
  | 'InvalidField'
  | 'UnknownField'
  | 'DuplicateId'
  | 'ThemeInvalid'
  | 'TemplateError'
  | 'RenderFailed'
  | 'RenderTimeout'
  | 'BrowserNotFound'
  | 'OutputLocked' // another build holds the output folder
  | 'ConfigInvalid'
  | 'UsageError'

/** Where a problem is: a file (relative to the working directory) and, where known, its 1-based line. */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
}

/** Constructor properties of a SheetError. */
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
    this.hint = props.hint
  }
}

/** True for errors that describe bad input or configuration rather than a bug. */
export function isSheetError(value: unknown): value is SheetError {
  return value instanceof SheetError
}

/** Codes that mean the build itself cannot start (exit 2), not that one record failed. */
export const CONFIG_CODES: ReadonlySet<ErrorCode> = new Set(['ConfigInvalid', 'UsageError', 'BrowserNotFound', 'ThemeInvalid', 'OutputLocked'])

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
