/** Visual regression: every page of every sample sheet (tests/fixtures/records/sample, with JEMPAS II in French and Arabic) in every theme must match tests/visual/baselines/. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCommand } from '../helpers/run.ts'
import { checkPages, compare, renderPages, visualProject, type PageImage } from '../visual/visual.ts'

const THEMES = readdirSync(path.join(ROOT, 'templates'))
  .filter((name) => existsSync(path.join(ROOT, 'templates', name, 'theme.json')))
  .sort()

/** A plain PNG of one colour, for checks that need no browser. */
function png(file: string, width: number, height: number, rgb: [number, number, number] = [255, 255, 255]): string {
  const image = new PNG({ width, height })
  for (let i = 0; i < image.data.length; i += 4) image.data.set([...rgb, 255], i)
  writeFileSync(file, PNG.sync.write(image))
  return file
}

describe('visual regression', () => {
  let project: TempProject
  let pages: PageImage[]
  const temporary: string[] = []
  const scratch = (prefix: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
    temporary.push(dir)
    return dir
  }

  beforeAll(async () => {
    project = visualProject()
    pages = (await Promise.all(THEMES.map((theme) => renderPages(project, theme)))).flat()
  })
  afterAll(() => {
    project?.remove()
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
  })

  it('the current templates match the committed baselines on every page', () => {
    expect(pages.length).toBeGreaterThan(THEMES.length)
    const reportDir = mkdtempSync(path.join(os.tmpdir(), 'visual-report-'))
    const result = checkPages(pages, { themes: THEMES, reportDir })
    const lines = result.failures.map((page) => `${page.status} ${page.key}: ${page.reason}`)
    // On success the report goes; on failure it stays for the designer, and the message says where.
    if (lines.length === 0) rmSync(reportDir, { recursive: true, force: true })
    expect(
      lines,
      `pages differ from tests/visual/baselines: see ${result.report} (or run npm run test:visual for out/visual-report/index.html); if the change is intended, run npm run test:visual -- --update and commit the baselines`,
    ).toEqual([])
  })

  it('catches a one-colour change in a theme, with a diff image and the page in the report', async () => {
    const changed = tempProject()
    temporary.push(changed.dir)
    const tokens = path.join(changed.templates, 'mpf', 'theme.json')
    const before = readFileSync(tokens, 'utf8')
    const after = before.replace('"primary": "#123a63"', '"primary": "#5b1f4f"')
    expect(after, 'the test edits the primary colour of the mpf theme').not.toBe(before)
    writeFileSync(tokens, after)

    const changedPages = await renderPages(changed, 'mpf', { only: ['jempas-ii'] })
    const reportDir = path.join(changed.dir, 'report')
    const result = checkPages(changedPages, { themes: ['mpf'], only: ['jempas-ii'], reportDir })

    // Its one page (title, headings, the programme box) uses the primary colour; no other record is in scope.
    expect(result.failures.map((page) => `${page.status} ${page.key}`)).toEqual(['changed mpf/jempas-ii-p1'])
    const html = readFileSync(result.report, 'utf8')
    for (const page of result.failures) {
      expect(page.ratio).toBeGreaterThan(0.0005)
      expect(page.diffFile).toBe(path.join(reportDir, 'diff', `${page.key}.png`))
      expect(PNG.sync.read(readFileSync(page.diffFile!)).width).toBeGreaterThan(0)
      for (const image of ['baseline', 'actual', 'diff']) {
        expect(existsSync(path.join(reportDir, image, `${page.key}.png`)), `${image} of ${page.key}`).toBe(true)
        expect(html).toContain(`src="${image}/${page.key}.png"`)
      }
    }
    expect(html).toContain('1 page(s) to review')
  })

  it('counts another page size, a page without a baseline and a baseline without a page as changes', () => {
    const dir = scratch('visual-sizes-')
    const baselines = path.join(dir, 'baselines')
    mkdirSync(path.join(baselines, 't'), { recursive: true })
    // Same picture on a taller page: pixelmatch alone could not even compare them.
    png(path.join(baselines, 't', 'a-p1.png'), 40, 50)
    png(path.join(baselines, 't', 'a-p2.png'), 40, 50)
    const same = png(path.join(dir, 'same.png'), 40, 50)
    const taller = png(path.join(dir, 'taller.png'), 40, 60)
    expect(compare(same, path.join(baselines, 't', 'a-p1.png')).changed).toBe(false)
    expect(compare(taller, path.join(baselines, 't', 'a-p1.png'))).toMatchObject({ changed: true, reason: expect.stringContaining('page size 40×50 → 40×60') })

    const result = checkPages(
      [
        { key: 't/a-p1', file: taller },
        { key: 't/b-p1', file: same },
      ],
      { themes: ['t'], baselines, reportDir: path.join(dir, 'report') },
    )
    expect(result.failures.map((page) => `${page.status} ${page.key}`)).toEqual(['changed t/a-p1', 'removed t/a-p2', 'new t/b-p1'])
  })
  it('#13 renders the sample records under tests/, so a record a programme officer adds to content/ changes nothing', async () => {
    // A copy of the repository with one more record in content/, and npm run test:visual's script run in it.
    const repo = scratch('visual-repo-')
    for (const part of ['src', 'bin', 'scripts', 'templates', 'tests/visual', 'tests/helpers', 'tests/fixtures/records/sample', 'tests/fixtures/records/languages', 'content', 'package.json', 'package-lock.json', 'tsconfig.json'])
      cpSync(path.join(ROOT, part), path.join(repo, part), { recursive: true, preserveTimestamps: true, filter: (from) => !from.includes(`${path.sep}visual-report`) })
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'))
    const added = readFileSync(path.join(ROOT, 'tests/fixtures/records/sample/jempas-ii.md'), 'utf8').replace(/^title: .*$/m, 'title: A Project Added Today')
    writeFileSync(path.join(repo, 'content', 'added-today.md'), added)
    const result = await runCommand(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['tests/visual/run.ts', '--theme', 'mpf'], { cwd: repo })
    expect(result.stdout + result.stderr).not.toContain('added-today')
    expect(result.stdout).toMatch(/^\d+ pages unchanged /m)
    expect(result.code).toBe(0)
  }, 600_000)
})
