/** The command's cache on disk (node_modules/.cache/factsheets): results that depend only on a key and on a scope. */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from './files.ts'
import { sha256 } from './hash.ts'
import { BUILD, PACKAGE_ROOT } from './version.ts'

/**
 * What a result depends on besides its key: by default the compiled command's build (nothing is kept when running
 * from the sources), or a versioned package's release ("@fontsource/amiri@5.3.0") for what is read from its files.
 */
export type CacheScope = string | undefined

/** What was kept under this key in this scope; undefined when nothing was (or there is no scope). */
export function readCached(kind: string, key: string, scope: CacheScope = BUILD): string | undefined {
  const file = cacheFile(kind, key, scope)
  try {
    return file === undefined ? undefined : readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Keeps a result for the next runs (written whole or not at all, while the run goes on; a read-only node_modules
 * keeps nothing). The folders of other scopes of the same kind are removed once an hour old.
 */
export function writeCached(kind: string, key: string, text: string, scope: CacheScope = BUILD): void {
  const file = cacheFile(kind, key, scope)
  if (file === undefined) return
  if (!pruned.has(kind)) {
    pruned.add(kind)
    pruneOtherScopes(path.dirname(path.dirname(file)), path.basename(path.dirname(file)))
  }
  writeFileAtomic(file, text).catch(() => {})
}

// --- internal ---

const pruned = new Set<string>()

function cacheFile(kind: string, key: string, scope: CacheScope): string | undefined {
  return scope === undefined ? undefined : path.join(PACKAGE_ROOT, 'node_modules', '.cache', 'factsheets', kind, scope.replace(/\//g, '+'), `${sha256(key)}.json`)
}

function pruneOtherScopes(dir: string, current: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const folder = path.join(dir, name)
      if (name !== current && Date.now() - statSync(folder).mtimeMs > 3_600_000) rmSync(folder, { recursive: true, force: true })
    }
  } catch {
    // Nothing there yet, or another run is pruning it.
  }
}
