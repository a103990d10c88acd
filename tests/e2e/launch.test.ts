import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

/** Chromium processes whose command line names a folder (their profile is made in the TMPDIR they were given). */
function browsersIn(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(`--user-data-dir=${dir}`))
}

describe('the browser a build starts', () => {
  let project: TempProject
  let tmp: string
  afterEach(() => {
    project?.remove()
    rmSync(tmp, { recursive: true, force: true })
  })

  function setUp(): { env: NodeJS.ProcessEnv } {
    project = tempProject({ from: null })
    project.write('content/jempas-ii.md', readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8'))
    tmp = mkdtempSync(path.join(os.tmpdir(), 'launch-test-'))
    return { env: { TMPDIR: tmp } }
  }

  it('is started as soon as the build has something to do, and gone with its profile when the build ends', async () => {
    const { env } = setUp()
    const built = await runCli([], { cwd: project.dir, env })
    expect(built.code, built.stdout + built.stderr).toBe(0)
    expect(readdirSync(tmp)).toEqual([])
    // The one record breaks: the browser was started after the up-to-date test, and nothing is printed with it.
    project.write('content/jempas-ii.md', readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8').replace(/^status: .*$/m, 'status: finished'))
    const failed = await runCli([], { cwd: project.dir, env })
    expect(failed.code).toBe(1)
    expect(failed.stdout + failed.stderr).toMatch(/content\/jempas-ii\.md:\d+ status/)
    expect(readdirSync(tmp)).toEqual([])
    expect(browsersIn(tmp)).toEqual([])
  })

  it('that is not there, or does not start, is named with what to do, and leaves nothing behind', async () => {
    const { env } = setUp()
    const missing = await runCli([], { cwd: project.dir, env: { ...env, SHEETS_BROWSER: '/nonexistent/chrome' } })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/the browser named by SHEETS_BROWSER does not exist: \/nonexistent\/chrome/)
    const broken = await runCli([], { cwd: project.dir, env: { ...env, SHEETS_BROWSER: '/bin/false' } })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/the browser at \/bin\/false did not start: it exited/)
    expect(broken.stderr).toMatch(/hint: check that it runs/)
    expect(broken.stderr + broken.stdout).not.toMatch(/internal error|\n\s+at /)
    // A file that is not a program: what the system said when it was run.
    const text = project.write('not-a-browser', 'not a program')
    const unrunnable = await runCli([], { cwd: project.dir, env: { ...env, SHEETS_BROWSER: text } })
    expect(unrunnable.code).toBe(2)
    expect(unrunnable.stderr).toContain(`the browser at ${text} did not start: spawn ${text} EACCES`)
    expect(readdirSync(tmp)).toEqual([])
  })
})
