/** The preview's sheets: each scan checks every record as the build does (planProject) and renders its HTML; PDFs and page images on demand. */
import type { ResolvedConfig } from '../config/config.ts'
import { isSheetError } from '../core/errors.ts'
import { sha256 } from '../core/hash.ts'
import { planProject, type ProjectPlan } from '../pipeline.ts'
import { openPrinter, type BrowserSource, type Printer } from '../print/page-pool.ts'
import { browserSource } from '../print/browser.ts'
import { asRecordError, printSheet, renderSheet } from '../print/print-sheet.ts'
import { readSourceDates, type SourceDates } from '../print/source-date.ts'
import type { SheetRecord } from '../record/validate.ts'
import type { PlannedSheet } from '../sheet/resolve.ts'
import { openRasterizer, type PageImage, type Rasterizer } from './raster.ts'

/** One record file as the preview knows it: a sheet ready to print (sheet, key), or its problems. */
export interface RecordState {
  id?: string
  file: string
  title: string
  status?: string
  theme?: string
  /** Validation, theme and template problems (SheetError), or unexpected errors. */
  errors: unknown[]
  warnings: string[]
  sheet?: PlannedSheet
  /** Hash of everything the sheet's PDF is made from (inputs and the HTML, so content images count too). */
  key?: string
}

/** The project at one moment: every record, and problems of the whole project (content folder, default theme). */
export interface Snapshot {
  version: string
  records: RecordState[]
  byId: Map<string, RecordState>
  errors: unknown[]
  warnings: string[]
  dates: Promise<SourceDates>
}

/** A printed sheet: the PDF exactly as build:sheets writes it, its pages as PNG images (when pdftoppm is there), or its error. */
export interface BuiltSheet {
  key: string
  pdf?: Uint8Array
  pages: number
  /** PNG per page, with its size in CSS pixels at print size; empty when pages cannot be drawn (the PDF is embedded). */
  images: PageImage[]
  warnings: string[]
  errors: unknown[]
}

/** Sheets printed at once by the preview's browser. */
const PRINT_PAGES = 2
/** Printed sheets kept in memory (least recently viewed dropped first). */
const KEEP_SHEETS = 32
/** Sheets printed again at once after a change: the ones open in browsers, most likely. */
const REPRINT_VIEWED = 4

/**
 * Reads, validates, resolves and renders every record: the build's own check (planProject), then each sheet's HTML.
 * Never throws: every problem lands in the snapshot (the project's own, such as no content folder, in its errors).
 */
export async function scanProject(config: ResolvedConfig, version: string): Promise<Snapshot> {
  const dates = readSourceDates(config.content, config.sourceDateEpoch)
  dates.catch(() => {}) // awaited only when a sheet is printed: never an unhandled rejection
  const snapshot: Snapshot = { version, records: [], byId: new Map(), errors: [], warnings: [], dates }
  let plan: ProjectPlan
  try {
    plan = await planProject(config)
  } catch (cause) {
    snapshot.errors.push(cause)
    return snapshot
  }
  snapshot.records.push(...failedStates(plan), ...plan.sheets.map(renderedState))
  for (const warning of plan.warnings) snapshot.warnings.push(`${warning.file}: ${warning.message}`)
  snapshot.records.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
  for (const state of snapshot.records) {
    // Two files with one id: the one that builds owns the sheet page.
    const known = state.id === undefined ? undefined : snapshot.byId.get(state.id)
    if (state.id !== undefined && (!known || (known.errors.length > 0 && state.errors.length === 0))) snapshot.byId.set(state.id, state)
  }
  return snapshot
}

/** Prints sheets on one browser, kept open for the preview's lifetime, and remembers the last PDFs by their inputs. */
export class SheetPrinter {
  private readonly built = new Map<string, { key: string; result: Promise<BuiltSheet> }>()
  /** Ids of the sheets last opened: printed again as soon as they change, before a browser asks. */
  private readonly viewed = new Set<string>()
  private printer: Promise<Printer>

  private constructor(
    private readonly config: ResolvedConfig,
    private readonly source: BrowserSource,
    printer: Printer,
    private readonly raster: Rasterizer | undefined,
  ) {
    this.printer = Promise.resolve(printer)
  }

  /** Finds or connects to the browser (as build:sheets does) and opens its pages; throws BrowserNotFound. */
  static async open(config: ResolvedConfig, log: (line: string) => void = () => {}): Promise<SheetPrinter> {
    const source = await browserSource(config, log)
    return new SheetPrinter(config, source, await openPrinter(source, PRINT_PAGES), await openRasterizer())
  }

  /** The sheet of a record state, printed now or taken from memory when its inputs did not change. */
  sheet(state: RecordState, snapshot: Snapshot): Promise<BuiltSheet> {
    const { id } = state
    if (id) {
      this.viewed.delete(id)
      this.viewed.add(id) // most recently viewed last
      for (const old of this.viewed) if (this.viewed.size > REPRINT_VIEWED) this.viewed.delete(old)
    }
    return this.printed(state, snapshot)
  }

  /** After a change: forgets sheets whose inputs changed, and prints again at once the last ones viewed (latest first). */
  refresh(snapshot: Snapshot): void {
    for (const [id, entry] of [...this.built]) if (snapshot.byId.get(id)?.key !== entry.key) this.built.delete(id)
    for (const id of [...this.viewed].reverse()) {
      const state = snapshot.byId.get(id)
      if (state?.key && !this.built.has(id)) void this.printed(state, snapshot)
    }
  }

  private printed(state: RecordState, snapshot: Snapshot): Promise<BuiltSheet> {
    const { id, key, sheet } = state
    if (!id || !key || !sheet) return Promise.resolve({ key: '', pages: 0, images: [], warnings: [], errors: state.errors })
    const known = this.built.get(id)
    this.built.delete(id)
    const entry = known?.key === key ? known : { key, result: this.print(sheet, key, snapshot) }
    this.built.set(id, entry)
    for (const old of this.built.keys()) if (this.built.size > KEEP_SHEETS) this.built.delete(old)
    // A sheet that failed to print (a timeout, a crash) is tried again when it is next asked for.
    void entry.result.then((result) => result.errors.length > 0 && this.built.get(id) === entry && this.built.delete(id))
    return entry.result
  }

  /** False when pdftoppm is missing: sheets are shown as embedded PDFs instead of page images. */
  get drawsPages(): boolean {
    return this.raster !== undefined
  }

  /** Closes the browser. */
  async close(): Promise<void> {
    await this.printer.then((printer) => printer.close()).catch(() => {})
  }

  /** model → HTML → printer.print → finishPdf, exactly as build:sheets (print/print-sheet.ts) does, then page images. */
  private async print(sheet: PlannedSheet, key: string, snapshot: Snapshot): Promise<BuiltSheet> {
    const { record } = sheet
    const warnings: string[] = []
    try {
      const printer = await this.printer
      const date = await (await snapshot.dates).dateOf(record.path)
      const { pdf } = await printSheet(printer, sheet, this.config, date, (message) => warnings.push(message)).catch((cause: unknown) => {
        // The pool gives up after repeated browser crashes; the next sheet gets a new one instead of a dead server.
        if (isSheetError(cause) && cause.code === 'BrowserCrashed') this.printer = printer.close().then(() => openPrinter(this.source, PRINT_PAGES))
        throw cause
      })
      const images = await (this.raster ? this.raster.draw(pdf.bytes, pdf.pages) : Promise.resolve([])).catch((cause: unknown) => {
        warnings.push(`the pages could not be drawn as images (${String((cause as Error).message).split('\n')[0]}); showing the PDF itself`)
        return []
      })
      return { key, pdf: pdf.bytes, pages: pdf.pages, images, warnings, errors: [] }
    } catch (cause) {
      return { key, pages: 0, images: [], warnings, errors: [asRecordError(cause, record.file)] }
    }
  }
}

// --- internal ---

/** Records that fail validation or resolution, titled from their front matter where it has a title. */
function failedStates(plan: ProjectPlan): RecordState[] {
  const sourceOf = new Map(plan.sources.map((source) => [source.file, source]))
  return plan.failures.map((failure) => {
    const data = sourceOf.get(failure.file)?.data as { title?: unknown; status?: unknown } | undefined
    const title = typeof data?.title === 'string' && data.title.trim() ? data.title : (failure.id ?? failure.file)
    return { id: failure.id, file: failure.file, title, status: stringOr(data?.status), errors: failure.errors, warnings: [] }
  })
}

/** A sheet ready to print: its HTML rendered now, so template errors (strict mode) show in the index before printing. */
function renderedState(sheet: PlannedSheet): RecordState {
  const state = stateOf(sheet.record, sheet.theme.name)
  try {
    const { html, model } = renderSheet(sheet)
    Object.assign(state, { sheet, key: sha256(`${sheet.inputHash}\0${html}`), warnings: model.warnings })
  } catch (cause) {
    state.errors.push(cause)
  }
  return state
}

function stateOf(record: SheetRecord, theme: string): RecordState {
  return { id: record.id, file: record.file, title: record.fields.title, status: record.fields.status, theme, errors: [], warnings: [] }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
