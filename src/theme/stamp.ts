/** A theme's stamp: its fingerprint with the names, sizes and times of its files, so a build that changes nothing need not read them. */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { sha256 } from '../core/hash.ts'

/** What a theme's fingerprint was computed from, as the file system last showed it. */
export interface ThemeStamp {
  /** The theme's fingerprint (Theme.fingerprint) when the listing was taken. */
  fingerprint: string
  /** The folders the theme's files come from (every layer, its partials, programmes and assets). */
  dirs: string[]
  /** Single files that count too (the font packages' package.json). */
  files: string[]
  /** Hash of the names, sizes and modification times of every file in `dirs` and of `files`. */
  listing: string
}

/** The hash of the names, sizes and modification times of the files in these folders and of these files. */
export async function takeListing(dirs: readonly string[], files: readonly string[]): Promise<string> {
  const lines = await Promise.all([...dirs.map(listDir), ...files.map((file) => describe(file))])
  return sha256(lines.join('\n'))
}

/**
 * True when the stamp is of the theme in this folder (not one of the same name under other templates) and its files
 * look as they did when it was taken (no file added, removed, resized or touched).
 */
export async function isStampCurrent(stamp: ThemeStamp, themeDir: string): Promise<boolean> {
  return stamp.dirs.includes(path.resolve(themeDir)) && (await takeListing(stamp.dirs, stamp.files)) === stamp.listing
}

// --- internal ---

async function listDir(dir: string): Promise<string> {
  try {
    const names = (await readdir(dir)).sort()
    return (await Promise.all(names.map((name) => describe(path.join(dir, name))))).join('\n')
  } catch {
    return `${dir}\0none`
  }
}

async function describe(file: string): Promise<string> {
  try {
    const info = await stat(file)
    return `${file}\0${info.size}\0${info.mtimeMs}`
  } catch {
    return `${file}\0none`
  }
}
