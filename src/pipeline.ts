/** build() and check(): the stages in order, one browser per build, every record's failure its own. */
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { BundleResult } from './bundle/bundle.ts'
import { writeCatalogue } from './output/catalogue.ts'
import type { ResolvedConfig } from './config/config.ts'
import { SheetError } from './core/errors.ts'
import { listRecordFiles, loadRecord, readRecordText, type SourceRecord } from './record/load.ts'
import type { Reporter } from './cli/report.ts'
import { resolveSheets, type PlannedSheet } from './sheet/resolve.ts'
import { validateAll, type RecordFailure } from './record/validate.ts'
import { themeFingerprint } from './theme/theme.ts'
import { acquireLock, outputPath, readManifest, removeSheet, sha256, writeManifest, type Manifest, type ManifestEntry } from './output/write.ts'
import { TOOL } from './core/version.ts'

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
  /** Donor bundles written or found up to date. */
  bundles: BundleResult[]
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
  const lastManifest = await readManifest(config.out)
  const previous = new Map((lastManifest?.sheets ?? []).map((entry) => [entry.id, entry]))
  const { fresh, unchanged } = await readSources(config, lastManifest)
  const validation = validateAll(fresh, new Map(unchanged.map((entry) => [entry.id, entry.source])))
  const inScope = (key: { id?: string; file: string }) =>
    (!config.only || (key.id !== undefined && config.only.includes(key.id))) && inShard(config, key.id ?? key.file)
  const { sheets, failures: unresolved, warnings } = resolveSheets(validation.records.filter(inScope), config)
  for (const warning of warnings) reporter?.warn(warning.file, warning.message)
  const failures = [...validation.failures.filter(inScope), ...unresolved]
  const todo: PlannedSheet[] = []
  const skipped: ManifestEntry[] = unchanged.filter((entry) => inScope({ id: entry.id, file: entry.source }))
  for (const sheet of sheets) {
    const before = previous.get(sheet.record.id)
    if (!config.force && before && before.inputHash === sheet.inputHash && (await isIntact(config.out, before))) {
      // Up to date; refresh what lets the next build skip it without parsing (the file may have been touched or moved).
      skipped.push({
        ...before,
        source: sheet.record.file,
        sourceHash: sheet.sourceHash,
        theme: sheet.theme.name,
        themeHash: sheet.themeHash,
        defaultTheme: config.theme,
      })
    } else todo.push(sheet)
  }
  const built: ManifestEntry[] = []
  if (todo.length > 0 && !signal?.aborted) {
    // Loaded only when something is to be printed: a build with nothing to do starts faster without the browser stack.
    const { printSheets } = await import('./print/print-sheet.ts')
    built.push(...(await printSheets(todo, config, failures, reporter, signal)))
  }
  const kept = failures.flatMap((failure) => (failure.id && existsSync(outputPath(config.out, failure.id, 'pdf')) ? [failure.id] : []))
  // The manifest keeps every sheet of out/: those built now replace their old entries, the others stay as they were.
  const entries = new Map(previous)
  for (const entry of [...skipped, ...built]) entries.set(entry.id, entry)
  const known = new Set([
    ...unchanged.map((entry) => entry.id),
    ...validation.records.map((record) => record.id),
    ...validation.failures.flatMap((failure) => failure.id ?? []),
  ])
  const orphans = [...entries.keys()].filter((id) => !known.has(id)).sort()
  if (config.clean) {
    for (const id of orphans) {
      entries.delete(id)
      await removeSheet(config.out, id)
    }
  }
  const manifest = { generator: TOOL, sheets: [...entries.values()] }
  await writeManifest(config.out, manifest)
  await writeCatalogue(config.out, manifest, new Date())
  const bundles = await buildBundles(config, manifest, reporter, signal)
  const seconds = (performance.now() - started) / 1000
  return { built, skipped, failures, kept, orphans, removed: config.clean ? orphans : [], bundles, seconds, interrupted: Boolean(signal?.aborted) }
}

/** Writes the donor bundles asked for (--bundle, --bundles) from the sheets now in out/; none when stopped. */
async function buildBundles(
  config: ResolvedConfig,
  manifest: Manifest,
  reporter: Reporter | undefined,
  signal: AbortSignal | undefined,
): Promise<BundleResult[]> {
  if ((!config.bundle && !config.bundles) || signal?.aborted) return []
  const { bundleDefinitions, writeBundles } = await import('./bundle/print-bundles.ts')
  return writeBundles(bundleDefinitions(config), manifest, config, reporter)
}

/** True when the record belongs to this shard: a stable partition by the hash of its id (or file). */
export function inShard(config: Pick<ResolvedConfig, 'shard'>, key: string): boolean {
  if (!config.shard) return true
  return Number.parseInt(sha256(key).slice(0, 8), 16) % config.shard.count === config.shard.index - 1
}

async function loadSources(config: ResolvedConfig): Promise<SourceRecord[]> {
  return (await readSources(config, undefined)).fresh
}

/**
 * Reads every record file. A record whose text, theme files, default theme and tool version are those of its
 * manifest entry, and whose PDF is intact, is up to date without being parsed again (unchanged); the others are
 * parsed (fresh). This keeps a build with nothing to do fast at a thousand records.
 */
async function readSources(config: ResolvedConfig, manifest: Manifest | undefined): Promise<{ fresh: SourceRecord[]; unchanged: ManifestEntry[] }> {
  if (!existsSync(config.content)) {
    throw new SheetError({
      code: 'ConfigInvalid',
      message: `the content folder ${path.relative(config.cwd, config.content) || config.content} does not exist`,
      hint: 'create it with one <id>.md per project, or pass --content DIR',
    })
  }
  const bySource = new Map(manifest?.generator === TOOL && !config.force ? manifest.sheets.map((entry) => [entry.source, entry]) : [])
  const fingerprints = new Map<string, string | undefined>()
  const fingerprint = (theme: string) => {
    if (!fingerprints.has(theme)) {
      try {
        fingerprints.set(theme, themeFingerprint(config.templates, theme))
      } catch {
        fingerprints.set(theme, undefined) // a broken theme: its records are parsed, and its error reported there
      }
    }
    return fingerprints.get(theme)
  }
  const fresh: SourceRecord[] = []
  const unchanged: ManifestEntry[] = []
  const files = await listRecordFiles(config.content)
  await Promise.all(
    files.map(async (file) => {
      const text = await readRecordText(file)
      const entry = bySource.get(path.relative(config.cwd, file) || file)
      const same =
        text !== undefined &&
        entry !== undefined &&
        entry.sourceHash === sha256(text) &&
        entry.defaultTheme === config.theme &&
        fingerprint(entry.theme) === entry.themeHash &&
        (await isIntact(config.out, entry))
      if (same) unchanged.push(entry)
      else fresh.push(await loadRecord(file, config.cwd, text))
    }),
  )
  // Promise.all settles in any order: keep the file order for stable messages.
  fresh.sort((a, b) => (a.path < b.path ? -1 : 1))
  return { fresh, unchanged }
}

async function isIntact(outDir: string, entry: ManifestEntry): Promise<boolean> {
  try {
    return (await stat(outputPath(outDir, entry.id, 'pdf'))).size === entry.bytes
  } catch {
    return false
  }
}
