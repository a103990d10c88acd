/** A build's printing (stages 3-6 for each sheet to print): its browser started early, sheets printed, written and journalled. */
import type { ResolvedConfig } from '../config/config.ts'
import { isSheetError, type SheetError } from '../core/errors.ts'
import { mapLimit } from '../core/map-limit.ts'
import { collectWhenGrown } from '../core/memory.ts'
import type { Reporter } from '../core/reporter.ts'
import { journalSheet } from '../output/journal.ts'
import type { ManifestEntry } from '../output/manifest.ts'
import { writeSheet } from '../output/write.ts'
import type { Spawned } from '../print/launch.ts'
import type { Printer } from '../print/page-pool.ts'
import type { RecordFailure } from '../record/validate.ts'
import type { RenderedSheet } from '../sheet/render-check.ts'
import type { PlannedSheet } from '../sheet/resolve.ts'

/** What the sheets printed gave: their manifest entries, and the templates' errors that stopped the printing (each once). */
export interface Printed {
  built: ManifestEntry[]
  themeErrors: SheetError[]
}

/** What the next build compares to skip a sheet without parsing its record. */
export function entryKeys(sheet: PlannedSheet, config: ResolvedConfig) {
  return { source: sheet.record.file, sourceHash: sheet.sourceHash, theme: sheet.theme.name, themeHash: sheet.themeHash, defaultTheme: config.theme, fitted: config.fit }
}

/**
 * The build's printer, its browser starting at once (in its own processes, while the records are read and checked); its
 * failure (no browser) is that of the first sheet to print, if there is one.
 */
export function startPrinter(config: ResolvedConfig, spawned?: Spawned): Promise<Printer> {
  const source = import('../print/browser.ts').then(({ startBrowser }) => startBrowser(config, spawned))
  const opening = Promise.all([source, import('../print/page-pool.ts')]).then(([started, pool]) => pool.openPrinter(started, config.concurrency))
  opening.catch(() => {})
  return opening
}

/** Closes the build's printer (safe twice; one that never opened has nothing to close). */
export function closePrinter(printer: Promise<Printer>): Promise<void> {
  return printer.then(
    (opened) => opened.close(),
    () => {},
  )
}

/**
 * Renders (unless the template check did: `rendered`), prints and writes each sheet on the build's printer, `concurrency` at a time. A record's failure is added to
 * `failures` and the others go on; a template error stops the printing (the sheets written before it are whole). The
 * list is emptied as its sheets are taken (mapLimit), so that each is collected once written.
 */
export async function printSheets(
  todo: PlannedSheet[],
  config: ResolvedConfig,
  opening: Promise<Printer>,
  failures: RecordFailure[],
  reporter: Reporter,
  signal?: AbortSignal,
  rendered?: Map<PlannedSheet, RenderedSheet>,
): Promise<Printed> {
  const [{ asRecordError, printSheet }, { readSourceDates }, { inlineFonts }] = await Promise.all([import('../print/print-sheet.ts'), import('../print/source-date.ts'), import('../theme/assets.ts')])
  const [dates, printer] = await Promise.all([readSourceDates(config.content, config.sourceDateEpoch), opening])
  const stop = () => void printer.close()
  signal?.addEventListener('abort', stop)
  const templateFailed = new AbortController()
  const themeErrors = new Map<string, SheetError>()
  const built: ManifestEntry[] = []
  let done = 0
  try {
    await mapLimit(todo, config.concurrency, signal ? AbortSignal.any([signal, templateFailed.signal]) : templateFailed.signal, async (sheet) => {
      const { record } = sheet
      try {
        const made = rendered?.get(sheet)
        rendered?.delete(sheet)
        const printed = await printSheet(printer, sheet, config, await dates.dateOf(record.path), (message) => reporter.warn(record.file, message), made)
        const { step, stepName, prints, balanced, lastPage } = printed.fit
        const output = { id: record.id, pdf: printed.pdf.bytes, pages: printed.pdf.pages, inputHash: sheet.inputHash, facts: printed.model.facts, fit: { step, stepName, prints, balanced, lastPage } }
        const entry = await writeSheet(config.out, { ...output, ...entryKeys(sheet, config), html: config.html ? inlineFonts(printed.html, sheet.theme.served) : undefined }, config.cwd)
        built.push(entry)
        await journalSheet(config.out, entry)
      } catch (cause) {
        if (isSheetError(cause) && cause.code === 'TemplateError') {
          // The theme's error, not the record's: reported once, and nothing more is printed.
          themeErrors.set(`${cause.loc?.file}:${cause.loc?.line}:${cause.message}`, cause)
          templateFailed.abort()
        } else if (!signal?.aborted) failures.push({ file: record.file, id: record.id, errors: [asRecordError(cause, record.file)] })
        // Stopped by the user: not this record's fault, and its old PDF is untouched.
      } finally {
        reporter.progress(++done, todo.length, record.id)
        collectWhenGrown()
      }
    })
  } finally {
    signal?.removeEventListener('abort', stop)
  }
  return { built, themeErrors: [...themeErrors.values()] }
}
