/** The date a record was last changed, for the PDF's creation and modification dates: the same inputs, the same date. */
import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Looks up when records were last changed; `dateOf(file)` answers for one record file. */
export interface SourceDates {
  dateOf(file: string): Promise<Date>
}

/**
 * Dates in order of preference: `epoch` in seconds (the config's source date, the reproducible-builds convention); the
 * last commit that touched the record, when the content folder is in git and the file is unchanged since; else the
 * file's modification time. One git call per build, not per record.
 */
export async function readSourceDates(contentDir: string, epoch?: number): Promise<SourceDates> {
  if (epoch !== undefined && Number.isInteger(epoch) && epoch > 0) return { dateOf: async () => new Date(epoch * 1000) }
  const committed = await gitDates(contentDir)
  return {
    async dateOf(file) {
      const known = committed.get(path.resolve(file))
      if (known) return known
      const { mtime } = await stat(file)
      return new Date(Math.floor(mtime.getTime() / 1000) * 1000)
    },
  }
}

// --- internal ---

async function gitDates(dir: string): Promise<Map<string, Date>> {
  const dates = new Map<string, Date>()
  try {
    const options = { cwd: dir, maxBuffer: 64 * 1024 * 1024 }
    const top = (await run('git', ['rev-parse', '--show-toplevel'], options)).stdout.trim()
    const log = (await run('git', ['log', '--format=%x00%ct', '--name-only', '--no-renames', '--', '.'], options)).stdout
    let time = 0
    for (const line of log.split('\n')) {
      if (line.startsWith('\0')) time = Number(line.slice(1))
      else if (line.trim() && time) {
        const file = path.join(top, line.trim())
        if (!dates.has(file)) dates.set(file, new Date(time * 1000))
      }
    }
    // Files changed since their last commit (or never committed) are dated by their modification time instead.
    const status = (await run('git', ['status', '--porcelain', '--no-renames', '-z', '--', '.'], options)).stdout
    for (const entry of status.split('\0')) if (entry.length > 3) dates.delete(path.join(top, entry.slice(3)))
  } catch {
    // Not a git checkout, or no git: modification times only.
  }
  return dates
}
