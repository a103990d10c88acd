/** Record files' signatures (size, times, inode): a sheet whose files still show the one its hash was checked at is not read again. */
import { statSync } from 'node:fs'
import path from 'node:path'
import type { ManifestEntry } from './manifest.ts'

/** Per manifest entry (by source): the record files its sourceHash covers, and their signature when it was checked. */
export type Signatures = Record<string, { files: string[]; signature: string }>

/** A file whose times are this close to now may still be written within the same clock tick: not trusted yet. */
const SETTLED_MS = 3000

/** True when the entry's record files show the signature they had when its hash was checked (nothing to read). */
export function holdsBySignature(signatures: Signatures | undefined, source: string): boolean {
  const known = signatures?.[source]
  return known !== undefined && signatureOf(known.files) === known.signature
}

/**
 * The signatures of the manifest's entries whose record files still hold the text their sourceHash covers: kept from
 * `before` where the files show the same signature, otherwise checked by reading them (`hashOf` gives the entry's
 * sourceHash from its files, undefined when they cannot be read). Files changed in the last seconds are left out.
 */
export function takeSignatures(
  entries: readonly ManifestEntry[],
  cwd: string,
  filesOf: (source: string) => string[],
  hashOf: (files: string[]) => string | undefined,
  before: Signatures | undefined,
): Signatures {
  const signatures: Signatures = {}
  const settled = Date.now() - SETTLED_MS
  for (const entry of entries) {
    const files = filesOf(path.resolve(cwd, entry.source))
    const signature = signatureOf(files, settled)
    if (signature === undefined) continue
    const known = before?.[entry.source]
    const checked = known?.signature === signature && known.files.join('\0') === files.join('\0')
    if (checked || hashOf(files) === entry.sourceHash) signatures[entry.source] = { files, signature }
  }
  return signatures
}

// --- internal ---

/** The files' sizes, times and inodes in one string; undefined when one is missing or (with `settled`) changed after it. */
function signatureOf(files: readonly string[], settled = Infinity): string | undefined {
  const parts: string[] = []
  for (const file of files) {
    const info = statSync(file, { throwIfNoEntry: false, bigint: false })
    if (!info?.isFile() || Math.max(info.mtimeMs, info.ctimeMs) > settled) return undefined
    parts.push(`${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}:${info.dev}`)
  }
  return parts.join('/')
}
