/** Stage 6: outputs written atomically (temporary file in the same folder, then rename), and the manifest. */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createHash } from 'node:crypto'

/** One built sheet as listed in out/manifest.json. */
export interface ManifestEntry {
  id: string
  /** The record file, relative to the working directory. */
  source: string
  /** The PDF, relative to the working directory. */
  pdf: string
  bytes: number
  pages: number
  sha256: string
  /** Hash of everything the sheet was built from, for incremental builds. */
  inputHash: string
}

/** The manifest of an output folder. */
export interface Manifest {
  generator: string
  sheets: ManifestEntry[]
}

/** Writes a file by writing a temporary sibling and renaming it over the target, so a reader never sees half a file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    await writeFile(temp, data)
    await rename(temp, file)
  } catch (cause) {
    await rm(temp, { force: true })
    throw cause
  }
}

/** The output path of a sheet: <out>/<id>.<ext>; the id pattern keeps it inside the output folder. */
export function outputPath(outDir: string, id: string, ext: 'pdf' | 'html'): string {
  const file = path.resolve(outDir, `${id}.${ext}`)
  if (path.dirname(file) !== path.resolve(outDir)) throw new Error(`id "${id}" would write outside ${outDir}`)
  return file
}

/** Writes a sheet's PDF (and HTML when asked) and returns its manifest entry. */
export async function writeSheet(outDir: string, sheet: { id: string; source: string; pdf: Uint8Array; pages: number; inputHash: string; html?: string }): Promise<ManifestEntry> {
  const pdfFile = outputPath(outDir, sheet.id, 'pdf')
  await writeFileAtomic(pdfFile, sheet.pdf)
  if (sheet.html !== undefined) await writeFileAtomic(outputPath(outDir, sheet.id, 'html'), sheet.html)
  return {
    id: sheet.id,
    source: sheet.source,
    pdf: path.relative(process.cwd(), pdfFile) || pdfFile,
    bytes: sheet.pdf.byteLength,
    pages: sheet.pages,
    sha256: sha256(sheet.pdf),
    inputHash: sheet.inputHash,
  }
}

/** Reads out/manifest.json, or an empty manifest when there is none or it is unreadable. */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const data = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest
    return Array.isArray(data.sheets) ? data : undefined
  } catch {
    return undefined
  }
}

/** Writes out/manifest.json atomically, sheets sorted by id. */
export async function writeManifest(outDir: string, manifest: Manifest): Promise<void> {
  const sheets = [...manifest.sheets].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  await writeFileAtomic(path.join(outDir, 'manifest.json'), `${JSON.stringify({ ...manifest, sheets }, null, 2)}\n`)
}

/** Hex SHA-256 of some bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
