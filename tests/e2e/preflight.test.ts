/** Preflight end to end: fonts that cover the text, only the theme's fonts in the PDF, a valid structure tree. */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs'
import { PNG } from 'pngjs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { pdfFlatText, pdfFonts } from '../helpers/pdf.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

const JEMPAS = readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8').replace(/^id: .*\n/m, '')
const SCRIPTS = JEMPAS.replace(/^title: .*$/m, 'title: Капитал и Ελλάδα для Việt Nam').replace(
  'This action aimed',
  'Партнёрство в области миграции. Η συνεργασία για τη μετανάστευση. Hợp tác về di cư và phát triển. This action aimed',
)

describe('preflight', () => {
  let project: TempProject
  let build: RunResult
  const pdf = (id: string) => path.join(project.out, `${id}.pdf`)

  beforeAll(async () => {
    project = tempProject({ from: null })
    project.write('content/scripts.md', SCRIPTS)
    project.write('content/rare-sign.md', JEMPAS.replace('This action aimed', 'The sign \u{1F701} is in no font. This action aimed'))
    build = await runCli(['build'], { cwd: project.dir })
  }, 120_000)
  afterAll(() => project.remove())

  it('prints Cyrillic, Greek and Vietnamese in the theme fonts only, every font embedded', () => {
    expect(existsSync(pdf('scripts'))).toBe(true)
    const text = pdfFlatText(pdf('scripts'))
    for (const phrase of ['Капитал и Ελλάδα для Việt Nam', 'Партнёрство в области миграции', 'Η συνεργασία για τη μετανάστευση', 'Hợp tác về di cư và phát triển']) expect(text).toContain(phrase)
    const fonts = pdfFonts(pdf('scripts'))
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) {
      expect(font.embedded).toBe(true)
      expect(font.name.replace(/^[A-Z]{6}\+/, '')).toMatch(/^(SourceSans3|SourceSerif4)/)
    }
  })

  it('refuses a character no theme font has, with the U+ code, the font, the line and the field, before printing', async () => {
    expect(build.code).toBe(1)
    const line = SCRIPTS.split('\n').findIndex((l) => l.includes('This action aimed')) + 1
    expect(build.stderr).toContain(`content/rare-sign.md:${line} text: the character "\u{1F701}" (U+1F701) is not in the theme's font Source Sans 3`)
    expect(build.stderr).toMatch(/\[FontCoverage\]/)
    expect(existsSync(pdf('rare-sign'))).toBe(false)
    const check = await runCli(['check'], { cwd: project.dir })
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('(U+1F701)')
  }, 60_000)

  it('fails a sheet that the theme prints in a font of its own choosing, and prints it with --preflight warn', async () => {
    const css = path.join(project.templates, 'mpf', 'sheet.css')
    const designed = readFileSync(css, 'utf8')
    appendFileSync(css, '\n.about p { font-family: monospace; }\n')
    onTestFinished(() => writeFileSync(css, designed))
    const strict = await runCli(['build', '--only', 'scripts'], { cwd: project.dir })
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/content\/scripts\.md: text is printed in \S+, which is not one of the theme's fonts \(Source Sans 3, Source Serif 4\).*\[foreign-font\]/)
    const warned = await runCli(['build', '--only', 'scripts', '--preflight', 'warn'], { cwd: project.dir })
    expect(warned.code).toBe(0)
    expect(warned.stderr).toMatch(/preflight: text is printed in \S+, which is not one of the theme's fonts/)
  }, 120_000)

  it('fails a sheet whose theme cuts text off with a fixed height, naming the box', async () => {
    project.write('templates/clipping/theme.json', JSON.stringify({ extends: 'mpf', name: 'Clipping' }))
    project.write('templates/clipping/sheet.css', '.facts { height: 12mm; overflow: hidden; }\n')
    const clipped = await runCli(['build', '--only', 'scripts', '--theme', 'clipping', '--out', 'proof'], { cwd: project.dir })
    expect(clipped.code).toBe(1)
    expect(clipped.stderr).toMatch(/content\/scripts\.md: text is cut off by a box too small for it: section\.facts \("Partners .*\[text-cut-off\]/)
  }, 60_000)

  it('warns about a raster image below 150 pixels per inch at its printed size', async () => {
    const png = new PNG({ width: 40, height: 20 })
    png.data.fill(200)
    writeFileSync(path.join(project.content, 'small.png'), PNG.sync.write(png))
    project.write('content/pictured.md', JEMPAS.replace('This action aimed', '![A small picture](small.png)\n\nThis action aimed'))
    const built = await runCli(['build', '--only', 'pictured', '--preflight', 'warn'], { cwd: project.dir })
    expect(built.stderr).toMatch(/content\/pictured\.md: preflight: the image "A small picture" prints at \d+ pixels per inch, below 150 \[coarse-image\]/)
    expect(existsSync(pdf('pictured'))).toBe(true)
  }, 60_000)

  it('writes a structure tree poppler reads without errors: no PDF 2.0 types in a PDF 1.7 file', () => {
    const struct = execFileSync('pdfinfo', ['-struct', pdf('scripts')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(struct).toMatch(/^\s*H1/m)
    const errors = execFileSync('sh', ['-c', `pdfinfo -struct "${pdf('scripts')}" 2>&1 >/dev/null`], { encoding: 'utf8' })
    expect(errors).not.toMatch(/wrong type/)
  })
})
