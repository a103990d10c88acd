import { cpSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLE_RECORDS, ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, runCommand } from '../helpers/run.ts'
import { resolveConfig } from '../../src/config/config.ts'
import { currentReadings, type Readings } from '../../src/output/no-op.ts'
import { upToDate } from '../../src/pipeline.ts'

/** The sheets a build printed, from its progress lines ("[1/2] jempas-ii"). */
function printed(stdout: string): string[] {
  return [...stdout.matchAll(/^\[\d+\/\d+\] (\S+)/gm)].map((match) => match[1]).sort()
}

describe('#14 incremental builds: record files are not read again while their signature holds', () => {
  let project: TempProject

  beforeAll(async () => {
    project = tempProject({ from: null })
    for (const name of ['jempas-ii.md', 'labour-mobility-morocco.md']) cpSync(path.join(SAMPLE_RECORDS, name), path.join(project.content, name))
    cpSync(path.join(ROOT, 'tests', 'fixtures', 'records', 'languages', 'jempas-ii.fr.md'), path.join(project.content, 'jempas-ii.fr.md'))
    // Files changed in the last seconds get no signature (they may still change within the same clock tick).
    await new Promise((resolve) => setTimeout(resolve, 3200))
    const first = await runCli([], { cwd: project.dir })
    expect(first.code, first.stderr).toBe(0)
    expect(printed(first.stderr)).toEqual(['jempas-ii', 'jempas-ii.fr', 'labour-mobility-morocco'])
  }, 60_000)
  afterAll(() => project.remove())

  it('keeps a signature of every settled record file, a translation with its record', () => {
    const stamps = JSON.parse(readFileSync(path.join(project.out, '.sheets-stamps.json'), 'utf8')) as { records: Record<string, { files: string[] }> }
    const shown = (name: string) => path.join('content', name)
    expect(Object.keys(stamps.records).sort()).toEqual(['jempas-ii.fr.md', 'jempas-ii.md', 'labour-mobility-morocco.md'].map(shown))
    expect(stamps.records[shown('jempas-ii.fr.md')].files.map((file) => path.basename(file))).toEqual(['jempas-ii.fr.md', 'jempas-ii.md'])
  })

  it('rebuilds a record edited with its size and modification time put back (its change time gives it away)', async () => {
    const file = path.join(project.content, 'labour-mobility-morocco.md')
    const before = statSync(file)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace('Morocco and the EU', 'Morocco and the UE'))
    utimesSync(file, before.atime, before.mtime)
    expect(statSync(file).size).toBe(before.size)
    const again = await runCli([], { cwd: project.dir })
    expect(again.code, again.stderr).toBe(0)
    expect(printed(again.stderr)).toEqual(['labour-mobility-morocco'])
    expect(again.stdout).toMatch(/^Built 1 sheet, 2 up to date, in/m)
  })

  it('rebuilds a translation when only the record it translates changed, and nothing when nothing did', async () => {
    const file = path.join(project.content, 'jempas-ii.md')
    writeFileSync(file, readFileSync(file, 'utf8').replace('status: completed', 'status: ongoing'))
    const again = await runCli([], { cwd: project.dir })
    expect(again.code, again.stderr).toBe(0)
    expect(printed(again.stderr)).toEqual(['jempas-ii', 'jempas-ii.fr'])
    const none = await runCli([], { cwd: project.dir })
    expect(none.stdout).toMatch(/^Built 0 sheets, 3 up to date, in/m)
  })

  it('does not take the stamp of a theme for one of the same name in other templates', async () => {
    const other = path.join(project.dir, 'other-templates')
    cpSync(project.templates, other, { recursive: true })
    writeFileSync(path.join(other, 'mpf', 'sheet.css'), `${readFileSync(path.join(other, 'mpf', 'sheet.css'), 'utf8')}\n.other-brand { color: inherit; }\n`)
    const again = await runCli(['--templates', 'other-templates'], { cwd: project.dir })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/^Built 3 sheets, in/m)
  }, 60_000)

  it('tells a no-op in dist/up-to-date.js alone, with flags and with sheets.config.json (no browser, no other module)', async () => {
    // What bin/factsheets.mjs asks first: 0 when nothing is to be done, undefined (and nothing printed) otherwise.
    const ask = (args: string[]) =>
      runCommand(process.execPath, ['--input-type=module', '-e', UP_TO_DATE, ...args], { cwd: project.dir })
    const built = await runCli(['--out', 'out-flags', '--concurrency', '1', '--templates', 'templates'], { cwd: project.dir })
    expect(built.code, built.stderr).toBe(0)
    const flags = await ask(['build', '--out', 'out-flags', '--concurrency', '1', '--templates', 'templates'])
    expect(flags.stderr).toBe('')
    expect(flags.stdout).toMatch(/^Built 0 sheets, 3 up to date, in .*\nanswer 0\n$/s)
    writeFileSync(path.join(project.dir, 'sheets.config.json'), JSON.stringify({ out: 'out-flags', concurrency: 1 }))
    const config = await ask(['build'])
    expect(config.stdout).toMatch(/^Built 0 sheets, 3 up to date, in .*\nanswer 0\n$/s)
    const forced = await ask(['build', '--force'])
    expect([forced.stdout, forced.stderr]).toEqual(['answer undefined\n', ''])
  }, 60_000)

  it('keeps zod, the parsers and the browser stack out of dist/up-to-date.js (imported lazily, they are chunks of their own)', () => {
    // A static import of a module holding a schema once put all of zod (400 KB) into every no-op, 90 ms of its 0.2 s.
    const text = readFileSync(path.join(ROOT, 'dist', 'up-to-date.js'), 'utf8')
    for (const mark of ['ZodError', 'YAMLParseError', 'Handlebars', 'MarkdownIt', 'PDFDocument', 'CDPSession']) expect(text, mark).not.toContain(mark)
    expect(text.length).toBeLessThan(150_000)
  })
})

describe('#14 a translation whose record is gone', () => {
  it('fails that translation with its line and a hint, not the build with an internal error', async () => {
    const project = tempProject({ from: null })
    try {
      cpSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), path.join(project.content, 'jempas-ii.md'))
      cpSync(path.join(ROOT, 'tests', 'fixtures', 'records', 'languages', 'jempas-ii.fr.md'), path.join(project.content, 'jempas-ii.fr.md'))
      expect((await runCli([], { cwd: project.dir })).code).toBe(0)
      rmSync(path.join(project.content, 'jempas-ii.md'))
      const again = await runCli([], { cwd: project.dir })
      expect(again.stderr).not.toMatch(/internal error|\n\s+at /)
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/content\/jempas-ii\.fr\.md:1 it translates "jempas-ii", but no record has that id/)
    } finally {
      project.remove()
    }
  }, 60_000)
})

describe('#14 what the up-to-date test read is handed to the build that follows it', () => {
  it('is used while out/manifest.json is the file it read, and dropped once another build rewrote it', async () => {
    const project = tempProject({ from: null })
    try {
      cpSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), path.join(project.content, 'jempas-ii.md'))
      expect((await runCli([], { cwd: project.dir })).code).toBe(0)
      const config = await resolveConfig({}, project.dir)
      const readings: Readings = {}
      expect(await upToDate(config, readings)).toBeDefined()
      expect(readings.files?.map((file) => path.basename(file))).toEqual(['jempas-ii.md'])
      expect(readings.stamps?.manifest).toBeDefined()
      expect(currentReadings(config.out, readings)).toBe(readings)
      // Another build writes the folder in between: the manifest is a new file, and what was read of it is stale.
      expect((await runCli(['--force'], { cwd: project.dir })).code).toBe(0)
      expect(currentReadings(config.out, readings)).toBeUndefined()
    } finally {
      project.remove()
    }
  }, 60_000)
})

/** Imports dist/up-to-date.js and prints what mainIfUpToDate answers for the arguments after -e. */
const UP_TO_DATE = `
const { mainIfUpToDate } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist', 'up-to-date.js')).href)})
console.log('answer', await mainIfUpToDate(process.argv.slice(1)))
`
