/** Stage 6: a sheet's files written atomically (temporary file in the same folder, then rename) into the output folder. */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
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
  await writeOutput(pdfFile, sheet.pdf, cwd)
  if (sheet.html !== undefined) await writeOutput(outputPath(outDir, sheet.id, 'html'), sheet.html, cwd)
  const { id, source, pages, inputHash, facts, sourceHash, theme, themeHash, defaultTheme, fitted, fit, pdf } = sheet
  // The key order of out/manifest.json, as documented.
  return { id, source, pdf: displayPath(pdfFile, cwd), bytes: pdf.byteLength, pages, sha256: sha256(pdf), inputHash, facts, sourceHash, theme, themeHash, defaultTheme, fitted, fit }
}

/**
 * Writes one output file atomically; a file that cannot be written is a FileSystemError naming it ("no space left on
 * the device writing out/x.pdf"), and whatever was there before stays whole.
 */
export async function writeOutput(file: string, data: string | Uint8Array, cwd: string): Promise<void> {
  try {
    await writeFileAtomic(file, data)
  } catch (cause) {
    throw writeFailure(cause, cwd, file)
  }
}

/**
 * A write that failed for want of space, a device error or permissions, as a FileSystemError naming the file (the
 * temporary file's target, or `file`); anything else is returned as it is.
 */
export function writeFailure(cause: unknown, cwd: string, file?: string): unknown {
  const { code, path: failed } = (cause ?? {}) as NodeJS.ErrnoException
  const reason = code === undefined ? undefined : WRITE_REASONS[code]
  const target = file ?? (failed && path.join(path.dirname(failed), TEMP_NAME.exec(path.basename(failed))?.[1] ?? path.basename(failed)))
  if (!reason || !target) return cause
  const shown = displayPath(target, cwd)
  return new SheetError({ code: 'FileSystemError', message: `${reason} writing ${shown}`, loc: { file: shown }, hint: WRITE_HINT, cause })
}

/** Removes a sheet's PDF and HTML from the output folder (for --clean). */
export async function removeSheet(outDir: string, id: string): Promise<void> {
  await rm(outputPath(outDir, id, 'pdf'), { force: true })
  await rm(outputPath(outDir, id, 'html'), { force: true })
}

// --- internal ---

const WRITE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the device failed (input/output error)',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
}

/** writeFileAtomic's temporary name: .<name>.<pid>.<random>.tmp */
const TEMP_NAME = /^\.(.+)\.\d+\.[0-9a-f]{8}\.tmp$/

const WRITE_HINT = 'free some space (or build into another folder with --out) and build again: only what was not written is printed again'
