/** Incremental builds: which records are up to date against the manifest, told without parsing them again. */
import { stat } from 'node:fs/promises'
import type { ResolvedConfig } from '../config/config.ts'
import { displayPath } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { TOOL } from '../core/version.ts'
import { listRecordFiles, loadRecord, readRecordText, type SourceRecord } from '../record/load.ts'
import { themeFingerprint } from '../theme/files.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'
import { outputPath } from './write.ts'

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
export async function readSources(config: Settings, manifest: Manifest | undefined): Promise<ReadSources> {
  const bySource = new Map(manifest?.generator === TOOL && !config.force ? manifest.sheets.map((entry) => [entry.source, entry]) : [])
  const fingerprint = themeFingerprints(config)
  const fresh: SourceRecord[] = []
  const unchanged: ManifestEntry[] = []
  const files = await listRecordFiles(config.content, config.cwd)
  await Promise.all(
    files.map(async (file) => {
      const text = await readRecordText(file)
      const entry = bySource.get(displayPath(file, config.cwd))
      const same =
        text !== undefined &&
        entry !== undefined &&
        entry.sourceHash === sha256(text) &&
        entry.defaultTheme === config.theme &&
        entry.fitted === config.fit &&
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

/** True when a sheet's PDF is still there with the size the manifest gives. */
export async function isIntact(outDir: string, entry: ManifestEntry): Promise<boolean> {
  try {
    return (await stat(outputPath(outDir, entry.id, 'pdf'))).size === entry.bytes
  } catch {
    return false
  }
}

// --- internal ---

/** Each theme's fingerprint, computed once; a theme that does not load has none (its records are parsed, its error reported there). */
function themeFingerprints(config: Settings): (theme: string) => string | undefined {
  const known = new Map<string, string | undefined>()
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
