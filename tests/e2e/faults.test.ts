import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pdfInfo } from '../helpers/pdf.ts'
import { descendants, isAlive } from '../helpers/processes.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { BIN, runCli } from '../helpers/run.ts'


/** A project with `count` copies of the JEMPAS II record. */
function manyRecords(count: number): TempProject {
  const project = tempProject({ from: null })
  const text = readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8')
  for (let i = 1; i <= count; i++) project.write(`content/sheet-${String(i).padStart(3, '0')}.md`, text.replace(/^title: .*$/m, `title: Project number ${i}`))
  return project
}

function startBuild(project: TempProject, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
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

  it('#14 a build killed with SIGKILL takes its browser with it, and the next build prints only the sheets it did not finish', async () => {
    project = manyRecords(30)
    const out = project.out
    // A temporary folder of its own: a build of another test file running beside this one would clear the profile left.
    const tmp = path.join(project.dir, 'tmp')
    mkdirSync(tmp)
    const run = startBuild(project, ['--concurrency', '2'], { TMPDIR: tmp })
    await waitFor(() => pdfCount(out) >= 6)
    const browsers = browsersUnder(run.child.pid!)
    expect(browsers.length).toBeGreaterThan(0)
    run.child.kill('SIGKILL')
    await run.exit
    // Over a pipe, the browser sees its parent go and exits; nothing is left running.
    await waitFor(() => browsers.every((proc) => !isAlive(proc.pid)), 10_000)
    const finished = pdfCount(out)
    expect(existsSync(path.join(out, 'manifest.json'))).toBe(false)
    // Its browser's profile folder could not be removed by a process killed outright: the next build's launch removes it.
    const profiles = () => readdirSync(tmp).filter((name) => name.startsWith(`factsheets-chromium-${run.child.pid}-`))
    expect(profiles().length).toBeGreaterThan(0)
    const again = await runCli([], { cwd: project.dir, env: { TMPDIR: tmp } })
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(profiles()).toEqual([])
    const [, built, skipped] = /Built (\d+) sheets?, (\d+) up to date/.exec(again.stdout) ?? []
    // Every sheet written and journalled before the kill counts (one per page may have been written but not journalled).
    expect(Number(skipped)).toBeGreaterThanOrEqual(finished - 2)
    expect(Number(built)).toBe(30 - Number(skipped))
    expect(Number(built)).toBeLessThan(30)
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))
    expect(manifest.sheets).toHaveLength(30)
    expect(existsSync(path.join(out, '.sheets-journal.jsonl'))).toBe(false)
  })

  it('#14 a full disk fails the sheets that cannot be written, by name, and keeps the earlier PDFs and the manifest whole', async () => {
    project = manyRecords(12)
    // A small file system of its own (we run as root): room for a few sheets only.
    const out = project.out
    mkdirSync(out)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', out])
    try {
      const first = await runCli(['--only', 'sheet-001,sheet-002'], { cwd: project.dir })
      expect(first.code, first.stdout + first.stderr).toBe(0)
      const before = readFileSync(path.join(out, 'manifest.json'), 'utf8')
      const result = await runCli([], { cwd: project.dir })
      const output = result.stdout + result.stderr
      expect(output).not.toMatch(/internal error|\n\s+at /)
      expect(result.code).toBe(1)
      expect(output).toMatch(/no space left on the device writing out\/sheet-\d{3}\.pdf/)
      const summary = /^Built (\d+) sheets?.*Failed: (.*)$/m.exec(result.stdout)
      expect(summary, result.stdout).not.toBeNull()
      const failed = summary![2].split(', ').map((file) => file.replace(/\.$/, ''))
      expect(failed.length).toBeGreaterThan(0)
      for (const file of failed) expect(existsSync(path.join(out, `${path.basename(file, '.md')}.pdf`)), file).toBe(false)
      // Every PDF in the folder is whole, and no temporary file is left.
      for (const name of readdirSync(out).filter((file) => file.endsWith('.pdf'))) expect(Number(pdfInfo(path.join(out, name)).Pages)).toBeGreaterThan(0)
      expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([])
      // The manifest is either the earlier one, whole, or a new one listing exactly the PDFs there are.
      const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'))
      if (output.includes('writing out/manifest.json')) expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before)
      else expect(manifest.sheets.map((sheet: { id: string }) => `${sheet.id}.pdf`).sort()).toEqual(readdirSync(out).filter((file) => file.endsWith('.pdf')).sort())
    } finally {
      execFileSync('umount', [out])
    }
  })
})

