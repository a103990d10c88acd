/** Folder watching for the live preview: one call per burst of changes, in every sub-folder, folders that come and go included. */
import { readdirSync, watch, type FSWatcher } from 'node:fs'
import path from 'node:path'

/** Folders deeper than this under a root are not watched (themes and content are shallow). */
const MAX_DEPTH = 6

/**
 * Watches every folder under the roots, each with its own non-recursive fs.watch, and calls onChange once per burst
 * of changes (debounceMs after the last). Node 20's `recursive: true` watches files one by one on Linux and loses a
 * file that an editor saves by writing a copy and renaming it over the original (vim, sed -i, "safe write"); a watch
 * on the folder sees those renames. New sub-folders are watched at the next change, and roots that do not exist yet
 * (or are removed and made again) within a second.
 */
export function watchFolders(roots: readonly string[], onChange: () => void, debounceMs: number): { close(): void } {
  const watchers = new Map<string, FSWatcher>()
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const changed = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (closed) return
      sync()
      onChange()
    }, debounceMs)
  }
  /** Watches the folders that are there and forgets those that are gone; true when the set changed. */
  const sync = (): boolean => {
    const wanted = new Set(roots.flatMap((root) => folders(root, 0)))
    let moved = false
    for (const [dir, watcher] of watchers) {
      if (wanted.has(dir)) continue
      watcher.close()
      watchers.delete(dir)
      moved = true
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue
      try {
        const watcher = watch(dir, { persistent: false }, changed)
        watcher.on('error', () => {
          watcher.close()
          watchers.delete(dir)
          changed()
        })
        watchers.set(dir, watcher)
        moved = true
      } catch {
        // Gone between the listing and the watch: the next sync looks again.
      }
    }
    return moved
  }
  sync()
  const poll = setInterval(() => {
    if (sync()) changed()
  }, 1000).unref()
  return {
    close() {
      closed = true
      clearInterval(poll)
      clearTimeout(timer)
      for (const watcher of watchers.values()) watcher.close()
      watchers.clear()
    },
  }
}

// --- internal ---

/** A folder and its sub-folders (not hidden ones, not node_modules); none when it does not exist. */
function folders(dir: string, depth: number): string[] {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  const below = entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
  return [dir, ...(depth < MAX_DEPTH ? below.flatMap((entry) => folders(path.join(dir, entry.name), depth + 1)) : [])]
}
