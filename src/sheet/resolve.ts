/** Records → planned sheets: each record's theme, template and programme found (or a located error), and its input hash. */
import type { ResolvedConfig } from '../config/config.ts'
import { closest, SheetError } from '../core/errors.ts'
import { DEFAULT_TEMPLATE } from './render-html.ts'
import { loadTheme, themeFingerprint, type Theme } from '../theme/theme.ts'
import { locatedError, type RecordFailure, type SheetRecord } from '../record/validate.ts'
import { TOOL } from '../core/version.ts'
import { sha256 } from '../output/write.ts'

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
  /** Fingerprint of the theme's files (themeFingerprint). */
  themeHash: string
}

/**
 * Finds each record's theme (loaded once per build), template and programme. The project's default theme
 * must load (else ThemeInvalid is thrown: the build cannot start); a record naming a missing one fails alone.
 */
export function resolveSheets(
  records: readonly SheetRecord[],
  config: ResolvedConfig,
): { sheets: PlannedSheet[]; failures: RecordFailure[]; warnings: { file: string; message: string }[] } {
  const warnings: { file: string; message: string }[] = []
  const themes = new Map<string, { theme: Theme; fingerprint: string } | SheetError>()
  const themeFor = (name: string) => {
    let entry = themes.get(name)
    if (!entry) {
      try {
        const theme = loadTheme(config.templates, name)
        warnings.push(...theme.warnings)
        entry = { theme, fingerprint: themeFingerprint(config.templates, name) }
      } catch (cause) {
        if (!(cause instanceof SheetError)) throw cause
        entry = cause
      }
      themes.set(name, entry)
    }
    return entry
  }
  const fallback = themeFor(config.theme)
  if (fallback instanceof SheetError) throw fallback
  const sheets: PlannedSheet[] = []
  const failures: RecordFailure[] = []
  for (const record of records) {
    const { fields, source } = record
    const errors: SheetError[] = []
    const entry = themeFor(fields.theme ?? config.theme)
    if (entry instanceof SheetError) {
      errors.push(
        fields.theme && entry.code === 'ThemeInvalid' && entry.message.startsWith('there is no theme')
          ? locatedError(source, ['theme'], 'InvalidField', `${entry.message} (got "${fields.theme}")`, entry.hint)
          : entry,
      )
      failures.push({ file: record.file, id: record.id, errors })
      continue
    }
    const { theme, fingerprint } = entry
    const template = fields.template ?? DEFAULT_TEMPLATE
    if (!theme.templates.has(template) || RESERVED_TEMPLATES.has(template)) {
      const sheetTemplates = [...theme.templates.keys()].filter((name) => !RESERVED_TEMPLATES.has(name))
      const guess = closest(template, sheetTemplates)
      errors.push(
        locatedError(
          source,
          ['template'],
          'InvalidField',
          `theme "${theme.name}" has no sheet template "${template}" (expected one of ${sheetTemplates.join(', ')})`,
          guess ? `did you mean "${guess}"?` : undefined,
        ),
      )
    }
    if (fields.programme && !theme.programmes.has(fields.programme)) {
      const known = [...theme.programmes.keys()]
      const guess = closest(fields.programme, known)
      errors.push(
        locatedError(
          source,
          ['programme'],
          'InvalidField',
          `there is no programme "${fields.programme}" in theme ${theme.name} (expected one of ${known.join(', ') || 'none'})`,
          guess ? `did you mean "${guess}"?` : `add ${theme.dir}/programmes/${fields.programme}.md`,
        ),
      )
    }
    if (errors.length > 0) {
      failures.push({ file: record.file, id: record.id, errors })
      continue
    }
    // Everything the PDF depends on: the record, the theme's files, the template, the tool's version.
    const sourceHash = sha256(record.source.text)
    const inputHash = sha256([TOOL, fingerprint, template, record.id, sourceHash].join('\0'))
    sheets.push({ record, theme, template, inputHash, sourceHash, themeHash: fingerprint })
  }
  return { sheets, failures, warnings }
}
