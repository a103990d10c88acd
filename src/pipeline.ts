/** build() and check(): the stages in order, one browser per build, every record's failure its own. */
import { existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ResolvedConfig } from './config.ts'
import { SheetError } from './errors.ts'
import { listRecordFiles, loadRecord } from './load.ts'
import type { Reporter } from './report.ts'
import { resolveSheets, type PlannedSheet } from './resolve.ts'
import { validateAll, type RecordFailure } from './validate.ts'
import { acquireLock, outputPath, readManifest, removeSheet, sha256, writeManifest, type ManifestEntry } from './write.ts'
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
    // Loaded only when something is to be printed: a build with nothing to do starts faster without the browser stack.
    const { printSheets } = await import('./print.ts')
    built.push(...(await printSheets(todo, config, failures, reporter, signal)))
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

async function isIntact(outDir: string, entry: ManifestEntry): Promise<boolean> {
  try {
    return (await stat(outputPath(outDir, entry.id, 'pdf'))).size === entry.bytes
  } catch {
    return false
  }
}
