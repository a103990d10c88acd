/** Incremental builds: which records are up to date against the manifest, told without parsing them again. */
import type { ResolvedConfig } from '../config/config.ts'
import { displayPath } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { TOOL } from '../core/version.ts'
import { listRecordFiles, loadRecord, readRecordText, sourceHash, type SourceRecord } from '../record/load.ts'
import { translatedRecordFile } from '../record/translation.ts'
import { themeFingerprint } from '../theme/files.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'
import { heldFingerprints, isIntact, type Readings, type Stamps } from './no-op.ts'
import { holdsBySignature } from './signatures.ts'

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
  const signatures = stamps?.records
  // Read when needed: a record whose files show the signature they had when last checked is not read at all.
  const read = new Map<string, string | undefined>()
  const texts = { get: (file: string) => (read.has(file) ? read.get(file) : read.set(file, readRecordText(file)).get(file)) }
  const hashHolds = (hash: string, file: string, base: string | undefined) => {
    const text = texts.get(file)
    return text !== undefined && hash === (base === undefined ? sha256(text) : sourceHash(text, texts.get(base) ?? '\0missing'))
  }
  await Promise.all(
    files.map(async (file) => {
      const entry = bySource.get(displayPath(file, config.cwd))
      const base = translatedRecordFile(file)
      const same =
        entry !== undefined &&
        entry.defaultTheme === config.theme &&
        entry.fitted === config.fit &&
        fingerprint(entry.theme) === entry.themeHash &&
        isIntact(config.out, entry) &&
        (holdsBySignature(signatures, entry.source) || hashHolds(entry.sourceHash, file, base))
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
