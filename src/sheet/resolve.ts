/** Records → planned sheets: each record's theme, template and programme found (or a located error), and its input hash. */
import path from 'node:path'
import type { ResolvedConfig } from '../config/config.ts'
import { closest, SheetError } from '../core/errors.ts'
import { coverageErrors } from './coverage.ts'
import { displayPath } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { TOOL } from '../core/version.ts'
import { sourceHash as sourceHashOf } from '../record/load.ts'
import { locatedError, type RecordFailure, type SheetRecord } from '../record/validate.ts'
import { programmeFor, sheetLanguage } from './language.ts'
import { loadTheme, type Language, type Theme } from '../theme/theme.ts'
import type { ThemeWarning } from '../theme/tokens.ts'

/** The template a record gets when it names none. */
export const DEFAULT_TEMPLATE = 'factsheet'

/** Templates of a theme that are not for sheets: bundle.hbs is the donor bundle's cover and contents. */
const RESERVED_TEMPLATES: ReadonlySet<string> = new Set(['bundle'])

/** A record ready to render: its theme and template, and the hash of everything its PDF depends on. */
export interface PlannedSheet {
  record: SheetRecord
  theme: Theme
  template: string
  inputHash: string
  /** Hash of the record file's text. */
  sourceHash: string
  /** The theme's fingerprint. */
  themeHash: string
}

/** What resolving a build's records gives. */
export interface Resolution {
  sheets: PlannedSheet[]
  failures: RecordFailure[]
  warnings: ThemeWarning[]
  /** Notes for whoever builds, each once: a theme printing a programme blurb it inherits from its base theme. */
  notes: string[]
  /** Every theme that loaded, by name; the project's default theme is always there. */
  themes: Map<string, Theme>
}

/**
 * Finds each record's theme (loaded once per build), template and programme. The project's default theme must load
 * (else its error is thrown: the build cannot start); a record naming a missing or broken theme fails alone.
 */
export function resolveSheets(records: readonly SheetRecord[], config: Pick<ResolvedConfig, 'templates' | 'theme' | 'cwd'>): Resolution {
  const themes = new ThemeCache(config)
  const fallback = themes.get(config.theme)
  if (fallback instanceof SheetError) throw fallback
  const sheets: PlannedSheet[] = []
  const failures: RecordFailure[] = []
  for (const record of records) {
    const theme = themes.get(record.fields.theme ?? config.theme)
    const errors = theme instanceof SheetError ? [themeError(record, theme)] : sheetErrors(record, theme, config.cwd)
    if (errors.length > 0 || theme instanceof SheetError) failures.push({ file: record.file, id: record.id, errors })
    else sheets.push(plan(record, theme))
  }
  return { sheets, failures, warnings: themes.warnings, notes: inheritedBlurbs(sheets, config.cwd), themes: themes.loaded() }
}

// --- internal ---

/** Themes by name, each loaded (or failed) once. */
class ThemeCache {
  private readonly themes = new Map<string, Theme | SheetError>()
  readonly warnings: ThemeWarning[] = []

  constructor(private readonly config: Pick<ResolvedConfig, 'templates' | 'cwd'>) {}

  get(name: string): Theme | SheetError {
    let entry = this.themes.get(name)
    if (!entry) {
      try {
        entry = loadTheme(this.config.templates, name, this.config.cwd)
        this.warnings.push(...entry.warnings)
      } catch (cause) {
        if (!(cause instanceof SheetError)) throw cause
        entry = cause
      }
      this.themes.set(name, entry)
    }
    return entry
  }

  loaded(): Map<string, Theme> {
    return new Map([...this.themes].flatMap(([name, entry]) => (entry instanceof SheetError ? [] : [[name, entry] as const])))
  }
}

/** A record naming a theme that does not exist gets the error at its `theme:` line; a broken theme's own error stays. */
function themeError(record: SheetRecord, error: SheetError): SheetError {
  if (!record.fields.theme || error.code !== 'ThemeNotFound') return error
  return locatedError(record.source, ['theme'], 'InvalidField', `${error.message} (got "${record.fields.theme}")`, error.hint)
}

function sheetErrors(record: SheetRecord, theme: Theme, cwd: string): SheetError[] {
  const { fields, source } = record
  const errors: SheetError[] = []
  const template = fields.template ?? DEFAULT_TEMPLATE
  if (!theme.templates.has(template) || RESERVED_TEMPLATES.has(template)) {
    const known = [...theme.templates.keys()].filter((name) => !RESERVED_TEMPLATES.has(name))
    const message = `theme "${theme.name}" has no sheet template "${template}" (expected one of ${known.join(', ')})`
    errors.push(locatedError(source, ['template'], 'InvalidField', message, didYouMean(template, known)))
  }
  const language = sheetLanguageOf(record, theme)
  if (language instanceof SheetError) return [language]
  if (fields.programme && !theme.programmes.has(fields.programme)) {
    const known = [...theme.programmes.keys()]
    const message = `there is no programme "${fields.programme}" in theme ${theme.name} (expected one of ${known.join(', ') || 'none'})`
    const hint = didYouMean(fields.programme, known) ?? `add ${path.join(displayPath(theme.dir, cwd), 'programmes', `${fields.programme}.md`)}`
    errors.push(locatedError(source, ['programme'], 'InvalidField', message, hint))
  } else if (fields.programme && !programmeFor(theme, fields.programme, language)) {
    const message = `theme ${theme.name} has no blurb of the programme "${fields.programme}" in ${language.lang}`
    const hint = `add ${path.join(displayPath(theme.dir, cwd), 'programmes', `${fields.programme}.${language.lang}.md`)}, translating ${fields.programme}.md`
    errors.push(record.translation ? new SheetError({ code: 'WordsMissing', message, loc: { file: record.file, line: 1 }, hint }) : locatedError(source, ['programme'], 'WordsMissing', message, hint))
  }
  if (errors.length === 0) errors.push(...coverageErrors(record, theme))
  return errors
}

/** The theme's language for the sheet, or the error at the record's lang: line (a translation's first line) when it has none. */
function sheetLanguageOf(record: SheetRecord, theme: Theme): Language | SheetError {
  try {
    return sheetLanguage(theme, record.fields.lang ?? 'en')
  } catch (cause) {
    if (!(cause instanceof SheetError)) throw cause
    return record.translation ? cause.with({ loc: { file: record.file, line: 1 } }) : locatedError(record.source, ['lang'], cause.code, cause.message, cause.hint)
  }
}

/** Everything the PDF depends on: the record, the theme's files, the template, the tool's version. */
function plan(record: SheetRecord, theme: Theme): PlannedSheet {
  const template = record.fields.template ?? DEFAULT_TEMPLATE
  const sourceHash = sourceHashOf(record.source.text, record.translation?.recordText)
  const inputHash = sha256([TOOL, theme.fingerprint, template, record.id, sourceHash].join('\0'))
  return { record, theme, template, inputHash, sourceHash, themeHash: theme.fingerprint }
}

/** One note per theme and programme blurb that comes from a base theme: the new brand would print the old brand's words. */
function inheritedBlurbs(sheets: readonly PlannedSheet[], cwd: string): string[] {
  const notes = new Set<string>()
  for (const { record, theme } of sheets) {
    const programme = record.fields.programme ? theme.programmes.get(record.fields.programme) : undefined
    const own = path.join(displayPath(theme.dir, cwd), 'programmes', `${programme?.key}.md`)
    if (!programme || programme.file === own) continue
    notes.add(`note: theme ${theme.name} prints the programme blurb ${programme.file} ("${programme.name}") of the theme it extends; to word it for this brand, add ${own}`)
  }
  return [...notes]
}

function didYouMean(word: string, known: readonly string[]): string | undefined {
  const guess = closest(word, known)
  return guess ? `did you mean "${guess}"?` : undefined
}
