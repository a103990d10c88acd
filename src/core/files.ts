/** Files as the pipeline reads and writes them: safe names, paths kept inside their folder, atomic writes, images as data: URLs. */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** Lowercase letters, digits and single hyphens: safe as a file name everywhere (record ids, themes, bundles). */
export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** Names Windows keeps for devices cannot be files there (con.pdf, nul.pdf). */
export const RESERVED_NAMES = /^(con|prn|aux|nul|com\d|lpt\d)$/

/** File types a theme or record may use as images, with their MIME types. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
}

/** A path as messages show it: relative to the folder the command runs in. */
export function displayPath(file: string, cwd: string): string {
  return path.relative(cwd, file) || file
}

/** Writes a file by writing a temporary sibling and renaming it over the target, so a reader never sees half a file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    // The folder is made when the first write finds none (a build writes hundreds of files into the same one).
    await writeFile(temp, data).catch(async (cause: NodeJS.ErrnoException) => {
      if (cause?.code !== 'ENOENT') throw cause
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(temp, data)
    })
    await rename(temp, file)
  } catch (cause) {
    await rm(temp, { force: true })
    throw cause
  }
}

/** The files of a folder with an ending (not hidden ones, not sub-folders), sorted; none when it does not exist. */
export function listFiles(dir: string, ext?: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && (!ext || entry.name.endsWith(ext)) && !entry.name.startsWith('.'))
    .map((entry) => path.join(dir, entry.name))
    .sort()
}

/** Resolves a relative path inside a root folder, or returns undefined when it would leave it. */
export function resolveInside(root: string, relative: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.startsWith('/') || relative.includes('\0')) return undefined
  const resolved = path.resolve(root, decodeURIComponentSafe(relative.split(/[?#]/)[0]))
  if (!isWithin(resolved, root)) return undefined
  // A symbolic link may point anywhere: what counts is where the file really is.
  if (existsSync(resolved) && !isWithin(realpathSync(resolved), realpathSync(root))) return undefined
  return resolved
}

/** The first existing file for a relative path among several roots (a derived theme, then its bases). */
export function findInside(roots: readonly string[], relative: string): string | undefined {
  for (const root of roots) {
    const file = resolveInside(root, relative)
    if (file && existsSync(file) && statSync(file).isFile()) return file
  }
  return undefined
}

/** Reads an image file into a data: URL; undefined when its type is not an image type or it cannot be read. */
export function imageDataUrl(file: string): string | undefined {
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()]
  if (!type) return undefined
  try {
    return `data:${type};base64,${readFileSync(file).toString('base64')}`
  } catch {
    return undefined
  }
}

// --- internal ---

function isWithin(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
