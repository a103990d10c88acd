import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import puppeteer from 'puppeteer-core'
import { ensureBrowser, launchOptions } from '../../src/print/browser.ts'
import { inShard } from '../../src/config/config.ts'
import { pdfFlatText } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

const pdfs = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.pdf'))
        .sort()
    : []

describe('scale-out and housekeeping', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('partitions records into shards that together hold every id exactly once', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `project-${i}`)
    for (const count of [1, 2, 3, 7]) {
      const owners = ids.map((id) => Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard({ shard: { index, count } }, id)))
      expect(owners.every((list) => list.length === 1)).toBe(true)
      if (count > 1) {
        const sizes = Array.from({ length: count }, (_, i) => owners.filter((list) => list[0] === i + 1).length)
        expect(Math.min(...sizes)).toBeGreaterThan((1000 / count) * 0.7)
      }
    }
  })

  it('--shard 1/2 and 2/2 build every sample record exactly once between them', async () => {
    project = tempProject()
    const one = await runCli(['--shard', '1/2', '--out', 'out-1'], { cwd: project.dir })
    const two = await runCli(['--shard', '2/2', '--out', 'out-2'], { cwd: project.dir })
    expect([one.code, two.code]).toEqual([0, 0])
    const first = pdfs(path.join(project.dir, 'out-1'))
    const second = pdfs(path.join(project.dir, 'out-2'))
    const records = readdirSync(project.content)
      .filter((name) => name.endsWith('.md'))
      .map((name) => name.replace(/\.md$/, '.pdf'))
      .sort()
    expect([...first, ...second].sort()).toEqual(records)
    expect(first.filter((name) => second.includes(name))).toEqual([])
    const bad = await runCli(['--shard', '3/2'], { cwd: project.dir })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('expected I/N with 1 <= I <= N')
  })

  it('prints on a running browser given by --browser-ws-endpoint and leaves it running', async () => {
    project = tempProject()
    // A pool's browser listens on a WebSocket (the build's own browser talks over a pipe and has none).
    const browser = await puppeteer.launch({ ...launchOptions((await ensureBrowser()).executablePath), pipe: false })
    try {
      const result = await runCli(['--only', 'jempas-ii', '--browser-ws-endpoint', browser.wsEndpoint()], { cwd: project.dir })
      expect(result.stderr).not.toMatch(/error|warning/i)
      expect(result.code).toBe(0)
      expect(pdfFlatText(path.join(project.out, 'jempas-ii.pdf'))).toContain('Capacity Building for Migration Management')
      expect(browser.connected).toBe(true)
      const unreachable = await runCli(['--force', '--browser-ws-endpoint', 'ws://127.0.0.1:9/devtools/browser/none'], { cwd: project.dir })
      expect(unreachable.code).toBe(2)
      expect(unreachable.stderr).toContain('could not connect to the browser at ws://127.0.0.1:9/devtools/browser/none')
    } finally {
      await browser.close()
    }
  })

  it('reports the PDF of a deleted record, and removes it only with --clean', async () => {
    project = tempProject()
    expect((await runCli(['--only', 'jempas-ii,labour-mobility-morocco'], { cwd: project.dir })).code).toBe(0)
    rmSync(path.join(project.content, 'labour-mobility-morocco.md'))
    const report = await runCli(['--only', 'jempas-ii'], { cwd: project.dir })
    expect(report.code).toBe(0)
    expect(report.stderr).toContain('out/labour-mobility-morocco.pdf has no record any more; --clean removes it.')
    expect(existsSync(path.join(project.out, 'labour-mobility-morocco.pdf'))).toBe(true)
    const clean = await runCli(['--only', 'jempas-ii', '--clean'], { cwd: project.dir })
    expect(clean.stderr).toContain('out/labour-mobility-morocco.pdf removed: its record is gone.')
    expect(pdfs(project.out)).toEqual(['jempas-ii.pdf'])
  })

  it('refuses to write into an output folder another running build holds', async () => {
    project = tempProject()
    project.write('out/.sheets.lock', String(process.pid))
    const result = await runCli(['--only', 'jempas-ii'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`another build (process ${process.pid}) is writing to out`)
    // A lock left by a process that is gone is taken over.
    writeFileSync(path.join(project.out, '.sheets.lock'), '999999999')
    expect((await runCli(['--only', 'jempas-ii'], { cwd: project.dir })).code).toBe(0)
    expect(existsSync(path.join(project.out, '.sheets.lock'))).toBe(false)
  })
})
