/** Stage 6: outputs written atomically (temporary file in the same folder, then rename), and the manifest. */
import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createHash } from 'node:crypto'
import { SheetError } from '../core/errors.ts'
import type { SheetFacts } from '../sheet/model.ts'

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
  /** The sheet's key facts, for the catalogue, the CSV and bundles. */
  facts: SheetFacts
  /** What the next build checks to skip this record without reading it again: its text, its theme, the default theme. */
  sourceHash: string
  theme: string
  themeHash: string
  defaultTheme: string
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
export async function writeSheet(
  outDir: string,
  sheet: Pick<ManifestEntry, 'id' | 'source' | 'pages' | 'inputHash' | 'facts' | 'sourceHash' | 'theme' | 'themeHash' | 'defaultTheme'> & {
    pdf: Uint8Array
    html?: string
  },
): Promise<ManifestEntry> {
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
    facts: sheet.facts,
    sourceHash: sheet.sourceHash,
    theme: sheet.theme,
    themeHash: sheet.themeHash,
    defaultTheme: sheet.defaultTheme,
  }
}

/** Removes a sheet's PDF and HTML from the output folder (for --clean). */
export async function removeSheet(outDir: string, id: string): Promise<void> {
  await rm(outputPath(outDir, id, 'pdf'), { force: true })
  await rm(outputPath(outDir, id, 'html'), { force: true })
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

/** A held lock on an output folder. */
export interface OutputLock {
  release(): Promise<void>
}

/**
 * Takes the output folder's lock (out/.sheets.lock, holding our pid), so that two builds never write into one
 * folder at once. A lock left by a process that no longer runs is taken over, and its temporary files removed.
 */
export async function acquireLock(outDir: string): Promise<OutputLock> {
  await mkdir(outDir, { recursive: true })
  const file = path.join(outDir, LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      await removeStaleTempFiles(outDir)
      return { release: () => rm(file, { force: true }) }
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim())
      if (isRunning(holder)) {
        throw new SheetError({
          code: 'OutputLocked',
          message: `another build (process ${holder}) is writing to ${path.relative(process.cwd(), outDir) || outDir}`,
          hint: `wait for it to finish, or build into another folder with --out; if no build is running, delete ${path.relative(process.cwd(), file)}`,
        })
      }
      await rm(file, { force: true })
    }
  }
  throw new SheetError({ code: 'OutputLocked', message: `could not lock ${outDir}`, hint: 'try again' })
}

// --- internal ---

const LOCK_FILE = '.sheets.lock'
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Temporary files of builds that were killed outright (SIGKILL, power loss) are removed by the next build. */
async function removeStaleTempFiles(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const pid = Number(TEMP_NAME.exec(name)?.[1])
    if (pid && (pid === process.pid || !isRunning(pid))) await rm(path.join(outDir, name), { force: true })
  }
}
