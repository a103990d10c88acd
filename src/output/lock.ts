/** The output folder's lock (out/.sheets.lock): two builds never write into one folder at once; leftovers of killed builds go. */
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { isRunning } from '../core/processes.ts'

/** A held lock on an output folder. */
export interface OutputLock {
  release(): Promise<void>
}

/**
 * Takes the output folder's lock (holding our pid). A lock left by a process that no longer runs is taken over, and
 * temporary files of builds that were killed outright are removed. Throws OutputLocked naming the other build's process.
 */
export async function acquireLock(outDir: string, cwd: string): Promise<OutputLock> {
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
          message: `another build (process ${holder}) is writing to ${displayPath(outDir, cwd)}`,
          hint: `wait for it to finish, or build into another folder with --out; if no build is running, delete ${displayPath(file, cwd)}`,
        })
      }
      await rm(file, { force: true })
    }
  }
  throw new SheetError({ code: 'OutputLocked', message: `could not lock ${displayPath(outDir, cwd)}`, hint: 'try again' })
}

// --- internal ---

const LOCK_FILE = '.sheets.lock'
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/

/** Temporary files of builds that were killed outright (SIGKILL, power loss) are removed by the next build. */
async function removeStaleTempFiles(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const pid = Number(TEMP_NAME.exec(name)?.[1])
    if (pid && (pid === process.pid || !isRunning(pid))) await rm(path.join(outDir, name), { force: true })
  }
}
