/** out/.sheets-journal.jsonl: one line per sheet as soon as it is written, so that a build killed outright loses none of its sheets. */
import { existsSync } from 'node:fs'
import { appendFile, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { TOOL } from '../core/version.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'

/** The journal's file name in an output folder (hidden: not part of what a build delivers). */
export const JOURNAL_FILE = '.sheets-journal.jsonl'

/** True when a build left a journal that the manifest does not hold yet (it was stopped before writing the manifest). */
export function hasJournal(outDir: string): boolean {
  return existsSync(path.join(outDir, JOURNAL_FILE))
}

/**
 * Appends a written sheet's entry. Best effort: a line that cannot be written (a full disk) only means that the sheet
 * is printed again by the next build if this one never gets to write its manifest.
 */
export async function journalSheet(outDir: string, entry: ManifestEntry): Promise<void> {
  await appendFile(path.join(outDir, JOURNAL_FILE), `${JSON.stringify({ generator: TOOL, sheet: entry })}\n`).catch(() => {})
}

/**
 * The manifest with the journal of a build that was killed folded in (later lines win); entries of a manifest another
 * version of the tool wrote are dropped, as they would be rebuilt anyway. Lines cut short by the kill are skipped.
 */
export async function foldJournal(outDir: string, manifest: Manifest | undefined): Promise<Manifest | undefined> {
  let text: string
  try {
    text = await readFile(path.join(outDir, JOURNAL_FILE), 'utf8')
  } catch {
    return manifest
  }
  const { manifestEntrySchema } = await import('./manifest.ts')
  const sheets = new Map((manifest?.generator === TOOL ? manifest.sheets : []).map((entry) => [entry.id, entry]))
  for (const line of text.split('\n')) {
    try {
      const { generator, sheet } = JSON.parse(line) as { generator: unknown; sheet: unknown }
      const parsed = manifestEntrySchema.safeParse(sheet)
      if (generator === TOOL && parsed.success) sheets.set(parsed.data.id, parsed.data)
    } catch {
      // An empty or half-written line.
    }
  }
  return { generator: TOOL, sheets: [...sheets.values()] }
}

/** Removes the journal once the manifest holds every entry. */
export async function clearJournal(outDir: string): Promise<void> {
  await rm(path.join(outDir, JOURNAL_FILE), { force: true })
}
