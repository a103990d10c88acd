/** A build with nothing to do, told from the manifest, each record's hash and the stat of each file: nothing parsed, no browser. */
import { existsSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ResolvedConfig } from '../config/config.ts'
import { displayPath, writeFileAtomic } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { TOOL } from '../core/version.ts'
import { filesHash, listRecordFiles, readRecordText, translatedRecordFile } from '../record/files.ts'
import { isStampCurrent, type ThemeStamp } from '../theme/stamp.ts'
import { hasJournal } from './journal.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'
import { holdsBySignature, takeSignatures, type Signatures } from './signatures.ts'
import { outputPath } from './write.ts'

/**
 * What the next build's no-op test reads besides the manifest: the stamps of the themes the sheets were printed with
 * (see theme/stamp.ts), and the signatures of the record files (see signatures.ts).
 */
export interface Stamps {
  themes: Record<string, ThemeStamp>
  records: Signatures
  /** The hash of out/manifest.json as the build wrote it: while it holds, the next build reads it without checking it again. */
  manifest?: string
}

type Settings = Pick<ResolvedConfig, 'content' | 'out' | 'templates' | 'theme' | 'cwd' | 'force' | 'fit' | 'only' | 'shard' | 'bundle' | 'bundles'>

/**
 * What the no-op test read, kept for the build that follows it in the same process when it found something to do (so
 * that nothing is read twice): the stamps, the manifest's bytes with the stat they were read at, the record files, and
 * the fingerprints of the themes whose stamps held.
 */
export interface Readings {
  stamps?: Stamps
  manifest?: { bytes: Buffer; mtimeMs: number; size: number; parsed?: unknown }
  files?: string[]
  held?: Map<string, string>
}

/**
 * The manifest's sheets when every record file is exactly the one a sheet was built from, with the same theme files,
 * default theme and tool version, and every PDF and the catalogue are in place; otherwise undefined (the full build
 * then decides). Reads only the manifest, the stamps, the record files and the stat of every file.
 */
export async function findNoOp(config: Settings, readings: Readings = {}): Promise<ManifestEntry[] | undefined> {
  if (config.force || config.only || config.shard || config.bundle || config.bundles || hasJournal(config.out)) return undefined
  const [sheets, stamps] = await Promise.all([readSheets(config.out, readings), readStamps(config.out)])
  readings.stamps = stamps
  if (!sheets || !stamps || !['index.html', 'sheets.csv'].every((name) => existsSync(path.join(config.out, name)))) return undefined
  const files = (readings.files = await listRecordFiles(config.content, config.cwd))
  if (files.length !== sheets.length) return undefined
  const bySource = new Map(sheets.map((entry) => [entry.source, entry]))
  const themes = (readings.held = await heldFingerprints(stamps, config.templates))
  // Every file is in the content folder: its shown path is the folder's and its name (path.relative once, not per file).
  const shownDir = displayPath(config.content, config.cwd)
  const shown = (file: string) => (shownDir === config.content ? displayPath(file, config.cwd) : `${shownDir}${path.sep}${path.basename(file)}`)
  // Synchronous, and stopped at the first record that changed (a build is then to be done). A translation whose
  // signature does not hold counts as changed here (its hash covers the record it translates): the build decides.
  const holds = files.every((file) => {
    const entry = bySource.get(shown(file))
    return entryHolds(config, entry, (theme) => themes.get(theme), stamps.records, () => filesHash([file], readRecordText) === entry?.sourceHash)
  })
  return holds ? sheets : undefined
}

/**
 * Whether a record's manifest entry still holds (the test of the no-op and of the full build): the same default theme,
 * fitting and theme files (`fingerprintOf` its theme), its PDF intact, and its files showing the signature they had
 * when last checked or, failing that, `textHolds` (their text hashes as before).
 */
export function entryHolds(
  config: Pick<ResolvedConfig, 'theme' | 'fit' | 'out'>,
  entry: ManifestEntry | undefined,
  fingerprintOf: (theme: string) => string | undefined,
  signatures: Signatures | undefined,
  textHolds: () => boolean,
): entry is ManifestEntry {
  if (!entry || entry.defaultTheme !== config.theme || entry.fitted !== config.fit || fingerprintOf(entry.theme) !== entry.themeHash) return false
  return isIntact(config.out, entry) && (holdsBySignature(signatures, entry.source) || textHolds())
}

/** True when a sheet's PDF is still there with the size the manifest gives. */
export function isIntact(outDir: string, entry: Pick<ManifestEntry, 'id' | 'bytes'>): boolean {
  try {
    return statSync(outputPath(outDir, entry.id, 'pdf')).size === entry.bytes
  } catch {
    return false
  }
}

/**
 * Writes the stamp of every theme the manifest's sheets use and the signatures of their record files, for the next
 * build's no-op test (a hidden file: not part of what a build delivers); a theme that does not load gets none, and its
 * sheets take the full path next time.
 */
export async function writeStamps(config: Pick<ResolvedConfig, 'out' | 'templates' | 'cwd'>, manifest: Manifest, manifestBytes: Uint8Array, previous?: Stamps): Promise<void> {
  const { stampTheme } = await import('../theme/files.ts')
  const themes: Stamps['themes'] = {}
  const before = previous ?? (await readStamps(config.out))
  for (const name of new Set(manifest.sheets.map((entry) => entry.theme))) {
    try {
      themes[name] = (await stampStillTrue(before?.themes[name], manifest, name, config.templates)) ?? (await stampTheme(config.templates, name, config.cwd))
    } catch {
      // Reported by the build that loads it.
    }
  }
  // A translation's hash covers the record it translates too (as in up-to-date.ts).
  const filesOf = (file: string) => {
    const base = translatedRecordFile(file)
    return base ? [file, base] : [file]
  }
  const hashOf = (files: string[]) => {
    try {
      return filesHash(files, readRecordText)
    } catch {
      return undefined
    }
  }
  const records = takeSignatures(manifest.sheets, config.cwd, filesOf, hashOf, before?.records)
  const written = sha256(manifestBytes)
  await writeFileAtomic(path.join(config.out, STAMPS_FILE), `${JSON.stringify({ themes, records, manifest: written } satisfies Stamps)}\n`)
}

/**
 * out/manifest.json when it is byte for byte the one the last build wrote (its hash is in its stamps), read without
 * checking it again with zod (a thousand entries cost a tenth of a second); undefined otherwise (then it is checked).
 * `adopt` hears the manifest with the bytes it was read from.
 */
export async function readOwnManifest(
  outDir: string,
  stamps: Stamps | undefined,
  read?: Readings['manifest'],
  adopt?: (manifest: Manifest, bytes: Buffer) => void,
): Promise<Manifest | undefined> {
  if (stamps?.manifest === undefined) return undefined
  try {
    const text = read?.bytes ?? (await readFile(path.join(outDir, 'manifest.json')))
    if (sha256(text) !== stamps.manifest) return undefined
    // Parsed already when the no-op test read these bytes (a thousand entries: 15-25 ms).
    const manifest = (read?.parsed ?? JSON.parse(text.toString('utf8'))) as Manifest
    if (manifest.generator !== TOOL) return undefined
    adopt?.(manifest, text)
    return manifest
  } catch {
    return undefined
  }
}

/**
 * The fingerprints of the themes whose stamps still hold (the theme in this templates folder, its files as they were),
 * by name: told from the stat of their files, without reading them.
 */
export async function heldFingerprints(stamps: Stamps | undefined, templatesDir: string): Promise<Map<string, string>> {
  const held = await Promise.all(
    Object.entries(stamps?.themes ?? {}).map(async ([name, stamp]) => ((await isStampCurrent(stamp, path.join(templatesDir, name)).catch(() => false)) ? [[name, stamp.fingerprint] as const] : [])),
  )
  return new Map(held.flat())
}

/** The stamps the last build wrote in an output folder; undefined when there are none (or of an older form). */
export async function readStamps(outDir: string): Promise<Stamps | undefined> {
  try {
    const stamps = JSON.parse(await readFile(path.join(outDir, STAMPS_FILE), 'utf8')) as Partial<Stamps> | null
    return stamps?.themes && stamps.records ? (stamps as Stamps) : undefined
  } catch {
    return undefined
  }
}

// --- internal ---

const STAMPS_FILE = '.sheets-stamps.json'

/**
 * A theme's last stamp, kept when its files still look as they did and every sheet of the theme was printed with its
 * fingerprint: a new stamp reads and hashes every file of the theme again (20-50 ms after the last sheet; 1 ms this way).
 */
async function stampStillTrue(stamp: ThemeStamp | undefined, manifest: Manifest, name: string, templatesDir: string): Promise<ThemeStamp | undefined> {
  if (!stamp || manifest.sheets.some((entry) => entry.theme === name && entry.themeHash !== stamp.fingerprint)) return undefined
  return (await isStampCurrent(stamp, path.join(templatesDir, name))) ? stamp : undefined
}

/**
 * The readings of a no-op test made just before in this process, while out/manifest.json is still the file it read
 * (no other build wrote the folder since); undefined otherwise.
 */
export function currentReadings(outDir: string, readings: Readings | undefined): Readings | undefined {
  const read = readings?.manifest
  if (!read) return undefined
  try {
    const now = statSync(path.join(outDir, 'manifest.json'))
    return now.mtimeMs === read.mtimeMs && now.size === read.size ? readings : undefined
  } catch {
    return undefined
  }
}

/** The manifest's sheets, checked only as far as this test needs; a manifest of another version counts as none. */
async function readSheets(outDir: string, readings: Readings): Promise<ManifestEntry[] | undefined> {
  try {
    const file = path.join(outDir, 'manifest.json')
    const { mtimeMs, size } = statSync(file)
    const bytes = await readFile(file)
    const manifest = JSON.parse(bytes.toString('utf8')) as { generator?: unknown; sheets?: unknown }
    readings.manifest = { bytes, mtimeMs, size, parsed: manifest }
    if (manifest.generator !== TOOL || !Array.isArray(manifest.sheets)) return undefined
    const keys = ['id', 'source', 'sourceHash', 'theme', 'themeHash', 'defaultTheme'] as const
    const entries = manifest.sheets as ManifestEntry[]
    return entries.every((entry) => keys.every((key) => typeof entry?.[key] === 'string') && typeof entry.bytes === 'number') ? entries : undefined
  } catch {
    return undefined
  }
}
