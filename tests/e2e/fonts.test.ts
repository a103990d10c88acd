import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFlatText, pdfFonts } from '../helpers/pdf.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

const SCRIPTS = {
  cyrillic: 'Миграционное партнёрство и обучение пограничной службы',
  greek: 'Συνεργασία για τη μετανάστευση και το άσυλο',
  vietnamese: 'Hợp tác về di cư và phát triển bền vững',
}

describe('#14 theme fonts served to the browser from memory', () => {
  let project: TempProject
  let result: RunResult

  beforeAll(async () => {
    project = tempProject({ from: null })
    const text = readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8')
    project.write(
      'content/scripts.md',
      text.replace(/^title: .*$/m, `title: ${SCRIPTS.cyrillic}`).replace(/\n---\n/, `\n---\n\n${SCRIPTS.greek}.\n\n${SCRIPTS.vietnamese}.\n`),
    )
    project.write('content/latin.md', text)
    result = await runCli(['--html'], { cwd: project.dir })
  })
  afterAll(() => project.remove())

  it('#14 prints Cyrillic, Greek and Vietnamese text in the theme fonts, never a system font', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const file = path.join(project.out, 'scripts.pdf')
    const text = pdfFlatText(file)
    for (const words of Object.values(SCRIPTS)) expect(text).toContain(words)
    const fonts = pdfFonts(file)
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) expect(font.name, 'a font of the theme').toMatch(/\+(SourceSans3|SourceSerif4)/)
  })

  it('#14 refuses no request of the theme and reports none', () => {
    expect(result.stderr).not.toMatch(/request refused/)
  })

  it('#14 --html inlines only the font subsets the text uses, and loads nothing from elsewhere', () => {
    const latin = readFileSync(path.join(project.out, 'latin.html'), 'utf8')
    const scripts = readFileSync(path.join(project.out, 'scripts.html'), 'utf8')
    expect(latin).not.toMatch(/factsheets\.invalid/)
    expect(scripts).not.toMatch(/factsheets\.invalid/)
    expect(latin).toContain('data:font/woff2;base64,')
    // A Latin-only sheet carries no Cyrillic, Greek or Vietnamese faces; the other carries them.
    expect(latin).not.toMatch(/U\+0400-045F/)
    expect(scripts).toMatch(/U\+0400-045F/)
    expect(scripts).toMatch(/U\+0370-0377/)
    expect(scripts.length).toBeGreaterThan(latin.length)
  })
})
