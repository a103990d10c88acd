/** build() and check(): the stages in order (load → validate → resolve → model → HTML → PDF → write), one browser per build. */
import { existsSync } from 'node:fs'
import type { BundleResult } from './bundle/bundle.ts'
import type { SheetError } from './core/errors.ts'
import { inShard, type ResolvedConfig } from './config/config.ts'
import { collectWhenGrown } from './core/memory.ts'
import { SILENT, type Reporter } from './core/reporter.ts'
import { closePrinter, entryKeys, printSheets, startPrinter } from './build/print-sheets.ts'
import { TOOL } from './core/version.ts'
import { prepareIndexes, writeIndexes } from './output/indexes.ts'
import { acquireLock } from './output/lock.ts'
import type { Manifest, ManifestEntry } from './output/manifest.ts'
import type { Spawned } from './print/launch.ts'
import { foldJournal } from './output/journal.ts'
import { currentReadings, findNoOp, isIntact, readOwnManifest, readStamps, type Readings, type Stamps } from './output/no-op.ts'
import { outputPath, removeSheet } from './output/write.ts'
import type { SourceRecord } from './record/load.ts'
import type { RecordFailure, SheetRecord } from './record/validate.ts'
import type { RenderedSheet } from './sheet/render-check.ts'
import type { PlannedSheet, Resolution } from './sheet/resolve.ts'
import type { Theme } from './theme/theme.ts'
import type { ThemeWarning } from './theme/tokens.ts'

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
  /** True when nothing could be listed and the catalogue (index.html, sheets.csv) of the last build was kept. */
  catalogueKept: boolean
  /** Donor bundles written or found up to date. */
  bundles: BundleResult[]
  /** Why the bundles could not be written, when they could not (the sheets are built all the same). */
  bundleError?: unknown
  seconds: number
  /** True when the build was stopped by a signal before it finished. */
  interrupted: boolean
  /** Errors of the theme's templates, each once: nothing was printed or written. */
  themeErrors: SheetError[]
  /** Why the manifest or the catalogue could not be written (a full disk), when they could not. */
  outputError?: unknown
}

/** Every record of the project read, validated and resolved: what check() reports, what the preview shows. */
export interface ProjectPlan extends Omit<Resolution, 'failures'> {
  sources: SourceRecord[]
  failures: RecordFailure[]
  /** Every record and translation that passed validation. */
  records: SheetRecord[]
}

/** Reads, validates and resolves every record; throws only for the project (content folder, default theme). */
export async function planProject(config: ResolvedConfig): Promise<ProjectPlan> {
  const { readSources, validateAll, resolveSheets } = await loadStages()
  const { fresh: sources } = await readSources({ ...config, force: true }, undefined)
  const { records, failures } = validateAll(sources)
  const resolution = resolveSheets(records, config)
  return { ...resolution, sources, records, failures: [...failures, ...resolution.failures] }
}

/** What check() found: records checked, their failures, the templates' errors (each once) and the themes' warnings. */
export interface CheckResult {
  checked: number
  failures: RecordFailure[]
  themeErrors: SheetError[]
  warnings: ThemeWarning[]
  /** With `contrast`: text below WCAG AA on what each theme really paints (errors: body text; warnings: large text). */
  painted: { errors: SheetError[]; warnings: SheetError[] }
}

/** Validates every record under config.content and renders its model through its template, without printing. */
export async function check(config: ResolvedConfig, options: { contrast?: boolean } = {}): Promise<CheckResult> {
  const plan = await planProject(config)
  const { findTemplateErrors } = await import('./sheet/render-check.ts')
  const themeErrors = findTemplateErrors(plan.sheets)
  const painted =
    options.contrast && themeErrors.length === 0
      ? await (await import('./print/contrast.ts')).measureThemes(config.browser, [...plan.themes.values()], config.cwd)
      : { errors: [], warnings: [] }
  const warnings = [...plan.warnings, ...(await import('./record/freshness.ts')).translationWarnings(plan.records, config.languages)]
  return { checked: plan.sources.length, failures: plan.failures, themeErrors, warnings, painted }
}

/** What a build that did nothing returns, besides what was up to date (new arrays each time: callers may add to them). */
const nothing = () => ({ built: [], kept: [], orphans: [], removed: [], bundles: [], failures: [], catalogueKept: false, interrupted: false, themeErrors: [] })

/**
 * The result of a build when nothing is to be done (told from hashes and file stats alone, before any parser, schema
 * or browser is loaded); undefined when something is.
 */
export async function upToDate(config: ResolvedConfig, readings?: Readings): Promise<BuildResult | undefined> {
  const started = performance.now()
  const lock = await acquireLock(config.out, config.cwd)
  try {
    const sheets = await findNoOp(config, readings)
    return sheets && { ...nothing(), skipped: sheets, seconds: (performance.now() - started) / 1000 }
  } finally {
    await lock.release()
  }
}

/** How build() follows an up-to-date test made just before: it said so (`notUpToDate`), what it read, the browser it started. */
export interface AfterUpToDate {
  notUpToDate?: boolean
  readings?: Readings
  browser?: Spawned
}

/** Builds every record under config.content into config.out. Never throws for a bad record. */
export async function build(config: ResolvedConfig, reporter: Reporter = SILENT, signal?: AbortSignal, options: AfterUpToDate = {}): Promise<BuildResult> {
  const started = performance.now()
  const seconds = () => (performance.now() - started) / 1000
  const lock = await acquireLock(config.out, config.cwd)
  let printer: ReturnType<typeof startPrinter> | undefined
  try {
    // Nothing changed: told from hashes and file stats alone, before any parser, schema or browser is loaded.
    const upToDate = options.notUpToDate ? undefined : await findNoOp(config)
    if (upToDate) return { ...nothing(), skipped: upToDate, seconds: seconds() }
    // Something may be printed: the browser starts now, on the other core, while the records are read and checked.
    printer = startPrinter(config, options.browser)
    // What the last build left: its stamps (theme files, record signatures, the manifest's hash) and its manifest, as the
    // up-to-date test read them; then a killed build's journal (its sheets count). manifest.ts (and zod) loads only now.
    const known = options.notUpToDate ? currentReadings(config.out, options.readings) : undefined
    const stamps = known ? known.stamps : await readStamps(config.out)
    const { adoptManifestBytes, readManifest } = await import('./output/manifest.ts')
    const last = (await readOwnManifest(config.out, stamps, known?.manifest, adoptManifestBytes)) ?? (await readManifest(config.out))
    const manifest = await foldJournal(config.out, last)
    const plan = await planBuild(config, manifest, reporter, stamps, known)
    // A template's errors are found before anything is printed on the first sheet of each theme, template and language;
    // one that only some record's data brings out stops the build at that record.
    const rendered = new Map<PlannedSheet, RenderedSheet>()
    const firstErrors = plan.todo.length > 0 ? (await import('./sheet/render-check.ts')).findTemplateErrors(plan.todo, { firstOfEach: true, rendered }) : []
    if (firstErrors.length > 0) return { ...nothing(), skipped: plan.skipped, failures: plan.failures, seconds: seconds(), themeErrors: firstErrors }
    // The catalogue's rows of the sheets not printed are rendered while the others print.
    const preparing = prepareIndexes(plan.skipped).catch(() => {})
    const { built, themeErrors } =
      // The plan hands its sheets over (splice): each is let go once printed (at 5,000 records they held 40 MB).
      plan.todo.length > 0 && !signal?.aborted ? await printSheets(plan.todo.splice(0), config, printer, plan.failures, reporter, signal, rendered) : { built: [], themeErrors: [] }
    await preparing
    const closing = closePrinter(printer)
    const result = await finishBuild(config, manifest, plan, built, stamps)
    const bundles = result.outputError === undefined && themeErrors.length === 0 ? await buildBundles(config, result.manifest, plan.theme, result.summary.kept, signal) : { bundles: [] }
    await closing
    return { ...result.summary, built, failures: plan.failures, ...bundles, seconds: seconds(), interrupted: Boolean(signal?.aborted), themeErrors }
  } finally {
    if (printer) await closePrinter(printer)
    await lock.release()
  }
}

/** What merging shards did. */
export type MergeResult = { sheets: number } & Pick<BuildResult, 'bundles' | 'bundleError'>

/** Merges the output folders of shard builds into config.out, as an unsharded build writes it, then the bundles asked for. */
export async function merge(config: ResolvedConfig, dirs: readonly string[]): Promise<MergeResult> {
  const { mergeShards } = await import('./output/merge.ts')
  const lock = await acquireLock(config.out, config.cwd)
  const manifest = await mergeShards(dirs, config)
    .then(async (merged) => ({ merged, error: (await writeIndexes(config, merged)).outputError }))
    .finally(() => lock.release())
  if (manifest.error !== undefined) throw manifest.error
  const theme = config.bundle || config.bundles ? (await import('./theme/theme.ts')).loadTheme(config.templates, config.theme, config.cwd) : undefined
  return { sheets: manifest.merged.sheets.length, ...(theme ? await buildBundles(config, manifest.merged, theme, []) : { bundles: [] }) }
}

// --- internal ---

interface BuildPlan {
  todo: PlannedSheet[]
  skipped: ManifestEntry[]
  failures: RecordFailure[]
  /** Every id a record of the content folder has (built, skipped, failed or out of scope). */
  known: Set<string>
  /** The project's default theme, as loaded for this build (bundles are printed in it). */
  theme: Theme
}

/** Stages 1-2 and the incremental check: what to print, what is up to date, what failed. */
async function planBuild(config: ResolvedConfig, manifest: Manifest | undefined, reporter: Reporter, stamps: Stamps | undefined, known?: Readings): Promise<BuildPlan> {
  const { readSources, validateAll, resolveSheets } = await loadStages()
  const previous = new Map((manifest?.sheets ?? []).map((entry) => [entry.id, entry]))
  const { fresh, unchanged } = await readSources(config, manifest, stamps, known)
  await nextTurn()
  const validation = validateAll(fresh, new Map(unchanged.map((entry) => [entry.id, entry.source])))
  await nextTurn()
  const inScope = (key: { id?: string; file: string }) =>
    (!config.only || (key.id !== undefined && config.only.includes(key.id.split('.')[0]))) && inShard(config, key.id ?? key.file)
  const resolution = resolveSheets(validation.records.filter(inScope), config)
  collectWhenGrown() // what reading and checking thousands of records left
  await nextTurn()
  for (const warning of resolution.warnings) reporter.warn(warning.file, warning.message)
  for (const note of resolution.notes) reporter.info(note)
  const todo: PlannedSheet[] = []
  const skipped = unchanged.filter((entry) => inScope({ id: entry.id, file: entry.source }))
  for (const sheet of resolution.sheets) {
    const before = previous.get(sheet.record.id)
    const stale = !before || before.inputHash !== sheet.inputHash || before.fitted !== config.fit
    if (config.force || stale || !isIntact(config.out, before)) todo.push(sheet)
    // Up to date; refresh what lets the next build skip it without parsing (the file may have been touched or moved).
    else skipped.push({ ...before, ...entryKeys(sheet, config) })
  }
  const ids = [...unchanged.map((entry) => entry.id), ...validation.records.map((record) => record.id), ...validation.failures.flatMap((f) => f.id ?? [])]
  const failures = [...validation.failures.filter(inScope), ...resolution.failures]
  return { todo, skipped, failures, known: new Set(ids), theme: resolution.themes.get(config.theme)! }
}

/** The manifest keeps every sheet of out/: those built now replace their old entries, the others stay as they were. */
async function finishBuild(config: ResolvedConfig, last: Manifest | undefined, plan: BuildPlan, built: ManifestEntry[], stamps: Stamps | undefined) {
  const entries = new Map((last?.sheets ?? []).map((entry) => [entry.id, entry]))
  for (const entry of [...plan.skipped, ...built]) entries.set(entry.id, entry)
  const orphans = [...entries.keys()].filter((id) => !plan.known.has(id)).sort()
  if (config.clean) {
    for (const id of orphans) {
      entries.delete(id)
      await removeSheet(config.out, id)
    }
  }
  const manifest = { generator: TOOL, sheets: [...entries.values()] }
  const { outputError, catalogueKept } = await writeIndexes(config, manifest, { keepListed: plan.failures.length > 0, stamps })
  const kept = plan.failures.flatMap((failure) => (failure.id && existsSync(outputPath(config.out, failure.id, 'pdf')) ? [failure.id] : []))
  return { manifest, outputError, summary: { skipped: plan.skipped, kept, orphans, removed: config.clean ? orphans : [], catalogueKept, outputError } }
}

/** Writes the donor bundles asked for (--bundle, --bundles) from the sheets now in out/ (stale ones with a warning); none when stopped. */
async function buildBundles(config: ResolvedConfig, manifest: Manifest, theme: Theme, stale: readonly string[], signal?: AbortSignal) {
  if ((!config.bundle && !config.bundles) || signal?.aborted) return { bundles: [] }
  try {
    const { bundleDefinitions, writeBundles } = await import('./bundle/print-bundles.ts')
    return { bundles: await writeBundles(bundleDefinitions(config), manifest, theme, config, stale) }
  } catch (bundleError) {
    return { bundles: [], bundleError }
  }
}

/** Lets the event loop turn between stages, so that the browser starting beside the build is answered (connection, first page). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The stages that read, validate and resolve records: loaded only when a record is to be read (zod, YAML, Handlebars…). */
async function loadStages() {
  const [{ readSources }, { validateAll }, { resolveSheets }] = await Promise.all([import('./output/up-to-date.ts'), import('./record/validate.ts'), import('./sheet/resolve.ts')])
  return { readSources, validateAll, resolveSheets }
}
