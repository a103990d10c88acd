/** Stages 3-6 for the sheets to print: model → HTML → PDF → file, on one browser, a failure per record. */
import { connectBrowser, ensureBrowser, launchBrowser } from './browser.ts'
import type { ResolvedConfig } from '../config/config.ts'
import { SheetError, isSheetError } from '../core/errors.ts'
import { buildModel, type SheetModel } from '../sheet/model.ts'
import { finishPdf, headingTexts, type FinishedPdf } from './pdf-meta.ts'
import { renderHtml } from '../sheet/render-html.ts'
import { openPrinter, type BrowserSource, type Printer } from './page-pool.ts'
import type { Reporter } from '../cli/report.ts'
import type { PlannedSheet } from '../sheet/resolve.ts'
import { readSourceDates } from './source-date.ts'
import type { RecordFailure } from '../record/validate.ts'
import { TOOL } from '../core/version.ts'
import { writeSheet, type ManifestEntry } from '../output/write.ts'

/** Prints the planned sheets on one browser; a sheet that fails is added to failures and the others go on. */
export async function printSheets(
  sheets: PlannedSheet[],
  config: ResolvedConfig,
  failures: RecordFailure[],
  reporter?: Reporter,
  signal?: AbortSignal,
): Promise<ManifestEntry[]> {
  const printer = await openPrinter(await browserSource(config, (line) => reporter?.info(line)), config.concurrency)
  const stop = () => void printer.close()
  signal?.addEventListener('abort', stop)
  try {
    return await printAll(printer, sheets, config, failures, reporter, signal)
  } finally {
    signal?.removeEventListener('abort', stop)
    await printer.close()
  }
}

// --- internal ---

/** Where sheets are printed: a remote browser (--browser-ws-endpoint), or a local one found or installed now. */
export async function browserSource(config: ResolvedConfig, log: (line: string) => void = () => {}): Promise<BrowserSource> {
  if (config.browserWsEndpoint) {
    const endpoint = config.browserWsEndpoint
    return { launch: () => connectBrowser(endpoint), shared: true }
  }
  const found = await ensureBrowser(config.browser, log)
  return { launch: () => launchBrowser(found.executablePath), shared: false }
}

/** A sheet's model and HTML: stages 3 and 4, the same for a build and for the preview. */
export function renderSheet(sheet: PlannedSheet): { model: SheetModel; html: string } {
  const model = buildModel(sheet.record, sheet.theme)
  return { model, html: renderHtml(model, sheet.theme, sheet.template) }
}

/**
 * Prints one sheet (stage 5): its HTML on a locked-down page, then metadata, bookmarks and the page limit.
 * `warn` hears removed content and refused requests.
 */
export async function printSheet(
  printer: Printer,
  sheet: PlannedSheet,
  config: ResolvedConfig,
  date: Date,
  warn: (message: string) => void,
): Promise<{ model: SheetModel; html: string; pdf: FinishedPdf }> {
  const { model, html } = renderSheet(sheet)
  for (const warning of model.warnings) warn(warning)
  const printed = await printer.print(html, { timeoutMs: config.timeout, onBlocked: (url) => warn(`request refused: ${url.slice(0, 200)}`) })
  const pdf = await finishPdf(printed, {
    title: model.title,
    subject: model.subtitle ?? undefined,
    author: model.implementer,
    keywords: model.keywords.split(', '),
    lang: model.lang,
    creator: TOOL,
    date,
    headings: headingTexts(html.slice(html.indexOf('<body'))), // the head holds only styles and inlined fonts
    documentId: sheet.inputHash,
  })
  if (pdf.pages > config.maxPages) {
    throw new SheetError({
      code: 'RenderFailed',
      message: `the sheet runs to ${pdf.pages} pages, more than the limit of ${config.maxPages}`,
      loc: { file: sheet.record.file },
      hint: 'shorten the record, or raise --max-pages',
    })
  }
  return { model, html, pdf }
}

async function printAll(
  printer: Printer,
  sheets: PlannedSheet[],
  config: ResolvedConfig,
  failures: RecordFailure[],
  reporter?: Reporter,
  signal?: AbortSignal,
): Promise<ManifestEntry[]> {
  const built: ManifestEntry[] = []
  const dates = await readSourceDates(config.content)
  let done = 0
  await mapLimit(sheets, config.concurrency, signal, async (sheet) => {
    const { record, theme } = sheet
    try {
      const { model, html, pdf } = await printSheet(printer, sheet, config, await dates.dateOf(record.path), (message) => reporter?.warn(record.file, message))
      built.push(
        await writeSheet(config.out, {
          id: record.id,
          source: record.file,
          pdf: pdf.bytes,
          pages: pdf.pages,
          inputHash: sheet.inputHash,
          facts: model.facts,
          sourceHash: sheet.sourceHash,
          theme: theme.name,
          themeHash: sheet.themeHash,
          defaultTheme: config.theme,
          html: config.html ? html : undefined,
        }),
      )
    } catch (cause) {
      if (signal?.aborted) return // stopped by the user: not this record's fault, and its old PDF is untouched
      const error = isSheetError(cause) && cause.loc ? cause : asRecordError(cause, record.file)
      failures.push({ file: record.file, id: record.id, errors: [error] })
    } finally {
      reporter?.progress(++done, sheets.length, record.id)
    }
  })
  return built
}

function asRecordError(cause: unknown, file: string): SheetError {
  if (isSheetError(cause))
    return new SheetError({ code: cause.code, message: cause.message, loc: cause.loc ?? { file }, field: cause.field, hint: cause.hint, cause })
  return new SheetError({
    code: 'RenderFailed',
    message: `printing failed: ${String((cause as Error)?.message ?? cause).split('\n')[0]}`,
    loc: { file },
    cause,
  })
}

/** Runs work over items with at most `limit` at once; takes no new item once the signal is aborted. */
async function mapLimit<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
