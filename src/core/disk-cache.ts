/** The compiled command's cache on disk (node_modules/.cache/factsheets): results that depend only on its build and a key. */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { sha256 } from './hash.ts'
import { BUILD, PACKAGE_ROOT } from './version.ts'

/** What was kept under this key by a run of the same build; undefined when nothing was, or when running from the sources. */
export function readCached(kind: string, key: string): string | undefined {
  const file = cacheFile(kind, key)
  try {
    return file === undefined ? undefined : readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Keeps a result for the next runs of this build (written whole or not at all; a read-only node_modules keeps
 * nothing). The folders of other builds of the same kind are removed once an hour old.
 */
export function writeCached(kind: string, key: string, text: string): void {
  const file = cacheFile(kind, key)
  if (file === undefined) return
  const temp = `${file}.${process.pid}.tmp`
  try {
    if (!pruned.has(kind)) {
      pruned.add(kind)
      pruneOtherBuilds(path.dirname(path.dirname(file)))
    }
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(temp, text)
    renameSync(temp, file)
  } catch {
    rmSync(temp, { force: true })
  }
}

// --- internal ---

const pruned = new Set<string>()

function cacheFile(kind: string, key: string): string | undefined {
  return BUILD === undefined ? undefined : path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'factsheets', kind, BUILD, `${sha256(key)}.json`)
}

function pruneOtherBuilds(dir: string): void {
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names) {
    const folder = path.join(dir, name)
    if (name !== BUILD && Date.now() - statSync(folder).mtimeMs > 3_600_000) rmSync(folder, { recursive: true, force: true })
  }
}
