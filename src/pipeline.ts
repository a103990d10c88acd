/** build() and check(): the stages in order, one browser per build, every record's failure its own. */
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { readSourceDates } from './source-date.ts'
import path from 'node:path'
import { connectBrowser, ensureBrowser, launchBrowser } from './browser.ts'
import type { ResolvedConfig } from './config.ts'
import { SheetError, isSheetError } from './errors.ts'
import { listRecordFiles, loadRecord } from './load.ts'
import { buildModel } from './model.ts'
import { finishPdf, headingTexts } from './pdf-meta.ts'
import { renderHtml } from './render-html.ts'
import { openPrinter, type BrowserSource, type Printer } from './render-pdf.ts'
import type { Reporter } from './report.ts'
import { resolveSheets, type PlannedSheet } from './resolve.ts'
import { validateAll, type RecordFailure } from './validate.ts'
import { acquireLock, outputPath, readManifest, removeSheet, sha256, writeManifest, writeSheet, type ManifestEntry } from './write.ts'
import { TOOL } from './version.ts'

/** What a build did. */
export interface BuildResult {
  built: ManifestEntry[]
  /** Up to date, not rebuilt. */
  skipped: ManifestEntry[]
  failures: RecordFailure[]
  /** Records that failed but whose PDF from an earlier build is still in place (stale). */
  kept: string[]
  /** Sheets in out/ whose record is gone from the content folder. */
  orphans: string[]
  /** Orphans whose PDF was removed (--clean). */
  removed: string[]
  seconds: number
  /** True when the build was stopped by a signal before it finished. */
  interrupted: boolean
}

/** Validates every record under config.content without rendering. */
export async function check(config: ResolvedConfig): Promise<{ checked: number; failures: RecordFailure[] }> {
  const sources = await loadSources(config)
  const { records, failures } = validateAll(sources)
  const { failures: unresolved } = resolveSheets(records, config)
  return { checked: sources.length, failures: [...failures, ...unresolved] }
}

/** Builds every record under config.content into config.out. Never throws for a bad record. */
export async function build(config: ResolvedConfig, reporter?: Reporter, signal?: AbortSignal): Promise<BuildResult> {
  const started = performance.now()
  const lock = await acquireLock(config.out)
  try {
    return await buildLocked(config, started, reporter, signal)
  } finally {
    await lock.release()
  }
}

// --- internal ---

async function buildLocked(config: ResolvedConfig, started: number, reporter: Reporter | undefined, signal: AbortSignal | undefined): Promise<BuildResult> {
  const sources = await loadSources(config)
  const validation = validateAll(sources)
  const inScope = (key: { id?: string; file: string }) =>
    (!config.only || (key.id !== undefined && config.only.includes(key.id))) && inShard(config, key.id ?? key.file)
  const { sheets, failures: unresolved, warnings } = resolveSheets(validation.records.filter(inScope), config)
  for (const warning of warnings) reporter?.warn(warning.file, warning.message)
  const failures = [...validation.failures.filter(inScope), ...unresolved]
  const previous = new Map(((await readManifest(config.out))?.sheets ?? []).map((entry) => [entry.id, entry]))
  const todo: PlannedSheet[] = []
  const skipped: ManifestEntry[] = []
  for (const sheet of sheets) {
    const before = previous.get(sheet.record.id)
    if (!config.force && before && before.inputHash === sheet.inputHash && (await isIntact(config.out, before))) skipped.push(before)
    else todo.push(sheet)
  }
  const built: ManifestEntry[] = []
  if (todo.length > 0 && !signal?.aborted) {
    const printer = await openPrinter(await browserSource(config, reporter), config.concurrency)
    const stop = () => void printer.close()
    signal?.addEventListener('abort', stop)
    try {
      built.push(...(await printAll(printer, todo, config, failures, reporter, signal)))
    } finally {
      signal?.removeEventListener('abort', stop)
      await printer.close()
    }
  }
  const kept = failures.flatMap((failure) => (failure.id && existsSync(outputPath(config.out, failure.id, 'pdf')) ? [failure.id] : []))
  // The manifest keeps every sheet of out/: those built now replace their old entries, the others stay as they were.
  const entries = new Map(previous)
  for (const entry of built) entries.set(entry.id, entry)
  const known = new Set([...validation.records.map((record) => record.id), ...validation.failures.flatMap((failure) => failure.id ?? [])])
  const orphans = [...entries.keys()].filter((id) => !known.has(id)).sort()
  if (config.clean) {
    for (const id of orphans) {
      entries.delete(id)
      await removeSheet(config.out, id)
    }
  }
  await writeManifest(config.out, { generator: TOOL, sheets: [...entries.values()] })
  const seconds = (performance.now() - started) / 1000
  return { built, skipped, failures, kept, orphans, removed: config.clean ? orphans : [], seconds, interrupted: Boolean(signal?.aborted) }
}

/** Where sheets are printed: a remote browser (--browser-ws-endpoint), or a local one found or installed now. */
async function browserSource(config: ResolvedConfig, reporter: Reporter | undefined): Promise<BrowserSource> {
  if (config.browserWsEndpoint) {
    const endpoint = config.browserWsEndpoint
    return { launch: () => connectBrowser(endpoint), shared: true }
  }
  const found = await ensureBrowser(config.browser, (line) => reporter?.info(line))
  return { launch: () => launchBrowser(found.executablePath), shared: false }
}

/** True when the record belongs to this shard: a stable partition by the hash of its id (or file). */
export function inShard(config: Pick<ResolvedConfig, 'shard'>, key: string): boolean {
  if (!config.shard) return true
  return Number.parseInt(sha256(key).slice(0, 8), 16) % config.shard.count === config.shard.index - 1
}

async function loadSources(config: ResolvedConfig) {
  if (!existsSync(config.content)) {
    throw new SheetError({
      code: 'ConfigInvalid',
      message: `the content folder ${path.relative(config.cwd, config.content) || config.content} does not exist`,
      hint: 'create it with one <id>.md per project, or pass --content DIR',
    })
  }
  const files = await listRecordFiles(config.content)
  return Promise.all(files.map((file) => loadRecord(file, config.cwd)))
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
      const model = buildModel(record, theme)
      for (const warning of model.warnings) reporter?.warn(record.file, warning)
      const html = renderHtml(model, theme, sheet.template)
      const printed = await printer.print(html, {
        timeoutMs: config.timeout,
        onBlocked: (url) => reporter?.warn(record.file, `request refused: ${url.slice(0, 200)}`),
      })
      const pdf = await finishPdf(printed, {
        title: model.title,
        subject: model.subtitle ?? undefined,
        author: model.implementer,
        keywords: model.keywords.split(', '),
        lang: model.lang,
        creator: TOOL,
        date: await dates.dateOf(record.path),
        headings: headingTexts(html),
        documentId: sheet.inputHash,
      })
      if (pdf.pages > config.maxPages) {
        throw new SheetError({
          code: 'RenderFailed',
          message: `the sheet runs to ${pdf.pages} pages, more than the limit of ${config.maxPages}`,
          loc: { file: record.file },
          hint: 'shorten the record, or raise --max-pages',
        })
      }
      built.push(
        await writeSheet(config.out, {
          id: record.id,
          source: record.file,
          pdf: pdf.bytes,
          pages: pdf.pages,
          inputHash: sheet.inputHash,
          facts: model.facts,
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

async function isIntact(outDir: string, entry: ManifestEntry): Promise<boolean> {
  try {
    return (await stat(outputPath(outDir, entry.id, 'pdf'))).size === entry.bytes
  } catch {
    return false
  }
}

/** Runs work over items with at most `limit` at once; takes no new item once the signal is aborted. */
async function mapLimit<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
