import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pdfInfo } from '../helpers/pdf.ts'
import { descendants, isAlive } from '../helpers/processes.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')
const CLI = path.join(ROOT, 'src', 'cli', 'cli.ts')

/** A project with `count` copies of the JEMPAS II record. */
function manyRecords(count: number): TempProject {
  const project = tempProject({ from: null })
  const text = readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8')
  for (let i = 1; i <= count; i++) project.write(`content/sheet-${String(i).padStart(3, '0')}.md`, text.replace(/^title: .*$/m, `title: Project number ${i}`))
  return project
}

function startBuild(project: TempProject, args: string[] = []) {
  const child = spawn(TSX, [CLI, ...args], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const exit = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null))))
  return { child, exit, output: () => ({ stdout, stderr }) }
}

async function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const pdfCount = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.pdf')).length : 0)
const browsersUnder = (pid: number) => descendants(pid).filter((proc) => /chrom/i.test(proc.command))

describe('faults during a build', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('#3 finishes the build when the browser is killed mid-build', async () => {
    project = manyRecords(40)
    const out = project.out
    const run = startBuild(project)
    await waitFor(() => pdfCount(out) >= 3)
    const browsers = browsersUnder(run.child.pid!)
    expect(browsers.length).toBeGreaterThan(0)
    for (const proc of browsers) {
      try {
        process.kill(proc.pid, 'SIGKILL')
      } catch {
        // Already gone with its parent.
      }
    }
    const code = await run.exit
    expect(run.output().stderr).not.toMatch(/internal error/)
    expect(code).toBe(0)
    expect(pdfCount(out)).toBe(40)
    for (const name of readdirSync(out).filter((file) => file.endsWith('.pdf'))) expect(Number(pdfInfo(path.join(out, name)).Pages)).toBeGreaterThan(0)
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('#3 stops promptly on SIGINT: exit 130, no browser left, no temporary files, built PDFs whole', async () => {
    project = manyRecords(200)
    const out = project.out
    const run = startBuild(project)
    await waitFor(() => pdfCount(out) >= 3)
    const browsers = browsersUnder(run.child.pid!)
    expect(browsers.length).toBeGreaterThan(0)
    run.child.kill('SIGINT')
    const code = await run.exit
    expect(code).toBe(130)
    expect(run.output().stdout).toMatch(/^Stopped: built \d+ sheets/m)
    await waitFor(() => browsers.every((proc) => !isAlive(proc.pid)), 5_000)
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp') || name === '.sheets.lock')).toEqual([])
    const built = readdirSync(out).filter((name) => name.endsWith('.pdf'))
    expect(built.length).toBeLessThan(200)
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(manifest.sheets.map((sheet: { id: string }) => `${sheet.id}.pdf`).sort()).toEqual(built.sort())
    for (const name of built) expect(Number(pdfInfo(path.join(out, name)).Pages)).toBeGreaterThan(0)
  })
})
