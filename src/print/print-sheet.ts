/** Stages 3-5 for one sheet: model → HTML → finished PDF on a printer, the same for a build, a bundle and the preview. */
import type { ResolvedConfig } from '../config/config.ts'
import { SheetError, isSheetError } from '../core/errors.ts'
import { buildModel, sheetLanguage, type SheetModel } from '../sheet/model.ts'
import type { FinishedPdf } from './pdf-meta.ts'
import { renderHtml } from '../sheet/render-html.ts'
import type { Printer } from './page-pool.ts'
import type { RenderedSheet } from '../sheet/render-check.ts'
import type { PlannedSheet } from '../sheet/resolve.ts'
import { TOOL } from '../core/version.ts'
import { fitPlan, type FitOutcome } from './fit.ts'
import type { LayoutFindings } from './inspect-layout.ts'

/** A sheet's model and HTML: stages 3 and 4, the same for a build and for the preview. */
export function renderSheet(sheet: PlannedSheet): { model: SheetModel; html: string } {
  const model = buildModel(sheet.record, sheet.theme)
  return { model, html: renderHtml(model, sheet.theme, sheet.template) }
}

/**
 * Prints one sheet (stage 5): its HTML on a locked-down page, then metadata, bookmarks and the page limit.
 * `warn` hears removed content and refused requests; `rendered`: its model and HTML when the template check made them.
 */
export async function printSheet(
  printer: Printer,
  sheet: PlannedSheet,
  options: Pick<ResolvedConfig, 'timeout' | 'maxPages' | 'fit' | 'preflight'>,
  date: Date,
  warn: (message: string) => void,
  rendered?: RenderedSheet,
): Promise<{ model: SheetModel; html: string; pdf: FinishedPdf; fit: FitOutcome }> {
  const { model, html } = rendered ?? renderSheet(sheet)
  // pdf-lib, needed once the page is printed, is loaded while the browser prints (after this turn has sent the page),
  // and the headings the bookmarks are mended with are read from the HTML then too (the head holds only styles).
  const finishing = new Promise((resolve) => setImmediate(resolve))
    .then(() => import('./pdf-meta.ts'))
    .then((module) => ({ finishPdf: module.finishPdf, headings: module.headingTexts(html.slice(html.indexOf('<body'))) }))
  finishing.catch(() => {}) // awaited below unless the print fails first
  for (const warning of model.warnings) warn(warning)
  // Print-shop themes need 300 pixels per inch in raster images, screen and office printing 150.
  const minPpi = sheet.theme.tokens.print ? 300 : 150
  let layout: LayoutFindings = { clipped: [], coarse: [] }
  let fit: FitOutcome = { step: 0, stepName: 'none', pages: 0, prints: 1, balanced: false, lastPage: 1 }
  const printed = await printer.print(html, {
    timeoutMs: options.timeout,
    onBlocked: (url) => warn(`request refused: ${url.slice(0, 200)}`),
    fit: options.fit ? fitPlan(sheet.theme.tokens) : undefined,
    onFit: (outcome) => (fit = outcome),
    served: sheet.theme.served,
    inspect: { minPpi, onFindings: (found) => (layout = found) },
  })
  const { finishPdf, headings } = await finishing
  const pdf = await finishPdf(printed, {
    title: model.title,
    subject: model.subtitle ?? undefined,
    author: model.implementer,
    keywords: model.keywords.split(', '),
    lang: model.lang,
    creator: TOOL,
    date,
    headings,
    documentId: sheet.inputHash,
    families: [...Object.values(sheet.theme.tokens.fonts), ...Object.values(sheetLanguage(sheet.theme, model.lang).fonts)].map((font) => font.family),
    xmp: { id: sheet.record.id, inputHash: sheet.inputHash, theme: sheet.theme.name, themeVersion: sheet.theme.tokens.version, fit },
  })
  checkPages(pdf.pages, sheet, options, warn)
  const { minLastPage } = sheet.theme.tokens.pages
  const findings = [
    ...pdf.findings,
    ...(options.fit && fit.pages > 1 && fit.lastPage < minLastPage
      ? [{ level: 'warning' as const, code: 'near-empty-last-page', message: `the last page carries only ${Math.round(fit.lastPage * 100)}% of a page (the theme asks for ${Math.round(minLastPage * 100)}%): no break in pages.breaks could move more onto it` }]
      : []),
    ...layout.clipped.map((box) => ({ level: 'error' as const, code: 'text-cut-off', message: `text is cut off by a box too small for it: ${box}` })),
    ...layout.coarse.map(({ image, ppi }) => ({ level: 'warning' as const, code: 'coarse-image', message: `the image "${image}" prints at ${ppi} pixels per inch, below ${minPpi}` })),
  ]
  for (const finding of findings) {
    const error = new SheetError({ code: 'Preflight', message: `${finding.message} [${finding.code}]`, loc: { file: sheet.record.file } })
    if (finding.level === 'error' && options.preflight === 'strict') throw error
    warn(`preflight: ${finding.message} [${finding.code}]`)
  }
  return { model, html, pdf, fit }
}

/** The hard page limit (--max-pages) and the theme's page budget: over the budget is an error, or a warning with --preflight warn or --no-fit. */
function checkPages(
  count: number,
  sheet: PlannedSheet,
  options: Pick<ResolvedConfig, 'maxPages' | 'fit' | 'preflight'>,
  warn: (message: string) => void,
): void {
  const { pages } = sheet.theme.tokens
  if (count > options.maxPages) {
    throw new SheetError({
      code: 'RenderFailed',
      message: `the sheet runs to ${count} pages, more than the limit of ${options.maxPages}`,
      loc: { file: sheet.record.file },
      hint: 'shorten the record, or raise --max-pages',
    })
  }
  if (count > pages.max) {
    const over = new SheetError({
      code: 'PageBudget',
      message: `the sheet runs to ${count} pages, more than the theme's budget of ${pages.max}${options.fit && pages.fit.length > 0 ? ', even at the tightest step of its fit ladder' : ''}`,
      loc: { file: sheet.record.file },
    })
    if (options.fit && options.preflight === 'strict') throw over
    warn(`${over.message} (printed anyway: ${options.fit ? '--preflight warn' : '--no-fit'})`)
  }
}

/**
 * What printing a record threw, as a SheetError placed at the record's file: a SheetError with a place is kept, one
 * without gets the file, and anything else becomes RenderFailed "printing failed: <its first line>".
 */
export function asRecordError(cause: unknown, file: string): SheetError {
  if (isSheetError(cause)) return cause.loc ? cause : cause.with({ loc: { file } })
  return new SheetError({
    code: 'RenderFailed',
    message: `printing failed: ${String((cause as Error)?.message ?? cause).split('\n')[0]}`,
    loc: { file },
    cause,
  })
}
