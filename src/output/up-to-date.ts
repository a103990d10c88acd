/** Incremental builds: which records are up to date against the manifest, told without parsing them again. */
import type { ResolvedConfig } from '../config/config.ts'
import { displayPath } from '../core/files.ts'
import { TOOL } from '../core/version.ts'
import { filesHash, translatedRecordFile } from '../record/files.ts'
import { listRecordFiles, loadRecord, readRecordText, type SourceRecord } from '../record/load.ts'
import { themeFingerprint } from '../theme/files.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'
import { entryHolds, heldFingerprints, type Readings, type Stamps } from './no-op.ts'

export { isIntact } from './no-op.ts'

/** Records read for a build: those to parse (fresh), and those whose manifest entry still holds (unchanged). */
export interface ReadSources {
  fresh: SourceRecord[]
  unchanged: ManifestEntry[]
}

type Settings = Pick<ResolvedConfig, 'content' | 'out' | 'templates' | 'theme' | 'cwd' | 'force' | 'fit'>

/**
 * Reads every record file. A record whose text, theme files, default theme and tool version are those of its manifest
 * entry, and whose PDF is intact, is up to date without being parsed again (unchanged); the others are parsed (fresh),
 * in file order. This keeps a build with nothing to do fast at a thousand records.
 */
export async function readSources(config: Settings, manifest: Manifest | undefined, stamps?: Stamps, known?: Pick<Readings, 'files' | 'held'>): Promise<ReadSources> {
  const bySource = new Map(manifest?.generator === TOOL && !config.force ? manifest.sheets.map((entry) => [entry.source, entry]) : [])
  const fresh: SourceRecord[] = []
  const unchanged: ManifestEntry[] = []
  const files = known?.files ?? (await listRecordFiles(config.content, config.cwd))
  const fingerprint = await themeFingerprints(config, stamps, known?.held)
  // Read when needed: a record whose files show the signature they had when last checked is not read at all. Only
  // files of the listing are read (a translation's record may be gone: its hash then fails, and it is parsed).
  const listed = new Set(files)
  const read = new Map<string, string | undefined>()
  const texts = { get: (file: string) => (!listed.has(file) ? undefined : read.has(file) ? read.get(file) : read.set(file, readRecordText(file)).get(file)) }
  await Promise.all(
    files.map(async (file) => {
      const entry = bySource.get(displayPath(file, config.cwd))
      const base = translatedRecordFile(file)
      const same = entryHolds(config, entry, fingerprint, stamps?.records, () => filesHash(base ? [file, base] : [file], texts.get) === entry?.sourceHash)
      if (same) unchanged.push(entry)
      else fresh.push(await loadRecord(file, config.cwd, texts.get(file)))
    }),
  )
  // A translation to parse needs its record's facts: that record is parsed too (and found up to date again if it is).
  for (const source of [...fresh]) {
    const base = translatedRecordFile(source.path)
    const held = base === undefined ? -1 : unchanged.findIndex((entry) => entry.source === displayPath(base, config.cwd))
    if (held >= 0) {
      unchanged.splice(held, 1)
      fresh.push(await loadRecord(base!, config.cwd, texts.get(base!)))
    }
  }
  // Promise.all settles in any order: keep the file order for stable messages.
  fresh.sort((a, b) => (a.path < b.path ? -1 : 1))
  return { fresh, unchanged }
}

// --- internal ---

/**
 * Each theme's fingerprint: the last build's where its stamp still holds (no file read), else computed once; a theme
 * that does not load has none (its records are parsed, its error reported there).
 */
async function themeFingerprints(config: Settings, stamps: Stamps | undefined, held?: Map<string, string>): Promise<(theme: string) => string | undefined> {
  const known = new Map<string, string | undefined>(held ?? (await heldFingerprints(stamps, config.templates)))
  return (theme) => {
    if (!known.has(theme)) {
      try {
        known.set(theme, themeFingerprint(config.templates, theme, config.cwd))
      } catch {
        known.set(theme, undefined)
      }
    }
    return known.get(theme)
  }
}
