/** Stage 6: a sheet's files written atomically (temporary file in the same folder, then rename) into the output folder. */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { displayPath, writeFileAtomic } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import type { ManifestEntry } from './manifest.ts'

/** A printed sheet ready to write: its manifest facts, its PDF and (with --html) its HTML. */
export type SheetOutput = Omit<ManifestEntry, 'pdf' | 'bytes' | 'sha256'> & { pdf: Uint8Array; html?: string }

/** The output path of a sheet: <out>/<id>.<ext>; the id pattern keeps it inside the output folder. */
export function outputPath(outDir: string, id: string, ext: 'pdf' | 'html'): string {
  const file = path.resolve(outDir, `${id}.${ext}`)
  if (path.dirname(file) !== path.resolve(outDir)) throw new Error(`id "${id}" would write outside ${outDir}`)
  return file
}

/** Writes a sheet's PDF (and HTML when asked) and returns its manifest entry, paths relative to `cwd` like its source. */
export async function writeSheet(outDir: string, sheet: SheetOutput, cwd: string): Promise<ManifestEntry> {
  const pdfFile = outputPath(outDir, sheet.id, 'pdf')
  await writeFileAtomic(pdfFile, sheet.pdf)
  if (sheet.html !== undefined) await writeFileAtomic(outputPath(outDir, sheet.id, 'html'), sheet.html)
  const { id, source, pages, inputHash, facts, sourceHash, theme, themeHash, defaultTheme, fitted, fit, pdf } = sheet
  // The key order of out/manifest.json, as documented.
  return { id, source, pdf: displayPath(pdfFile, cwd), bytes: pdf.byteLength, pages, sha256: sha256(pdf), inputHash, facts, sourceHash, theme, themeHash, defaultTheme, fitted, fit }
}

/** Removes a sheet's PDF and HTML from the output folder (for --clean). */
export async function removeSheet(outDir: string, id: string): Promise<void> {
  await rm(outputPath(outDir, id, 'pdf'), { force: true })
  await rm(outputPath(outDir, id, 'html'), { force: true })
}
