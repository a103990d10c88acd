import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pdfFlatText, pdfFonts } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

const fontsOf = (file: string) => pdfFonts(file).map((font) => font.name.replace(/^[A-Z]{6}\+/, ''))

describe('themes', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('#5 --theme horizon prints the same record in another brand: its fonts, words and layout', async () => {
    project = tempProject()
    const result = await runCli(['--only', 'jempas-ii', '--theme', 'horizon'], { cwd: project.dir })
    expect(result.code).toBe(0)
    const pdf = path.join(project.out, 'jempas-ii.pdf')
    const fonts = fontsOf(pdf)
    expect(fonts.some((name) => name.startsWith('IBMPlexSans'))).toBe(true)
    expect(fonts.some((name) => name.startsWith('Lora'))).toBe(true)
    expect(fonts.some((name) => name.startsWith('SourceSans'))).toBe(false)
    const text = pdfFlatText(pdf)
    expect(text).toContain('Horizon Mobility Programme')
    expect(text).toContain('Duration')
    expect(text).toContain('February 2020 - October 2021')
    expect(text).toContain('Funded by the European Union')
  })

  it('#5 a record picks its theme with theme:, and the project default comes from sheets.config.json', async () => {
    project = tempProject()
    const record = path.join(project.content, 'jempas-ii.md')
    writeFileSync(record, readFileSync(record, 'utf8').replace('programme: mpf\n', 'programme: mpf\ntheme: horizon\n'))
    expect((await runCli(['--only', 'jempas-ii,labour-mobility-morocco'], { cwd: project.dir })).code).toBe(0)
    expect(fontsOf(path.join(project.out, 'jempas-ii.pdf')).some((name) => name.startsWith('IBMPlexSans'))).toBe(true)
    expect(fontsOf(path.join(project.out, 'labour-mobility-morocco.pdf')).some((name) => name.startsWith('SourceSans'))).toBe(true)
    project.write('sheets.config.json', '{\n  "theme": "horizon"\n}\n')
    expect((await runCli(['--only', 'labour-mobility-morocco'], { cwd: project.dir })).code).toBe(0)
    expect(fontsOf(path.join(project.out, 'labour-mobility-morocco.pdf')).some((name) => name.startsWith('IBMPlexSans'))).toBe(true)
  })

  it('#5 a template using a field the model does not have fails that sheet with the template file and line', async () => {
    project = tempProject()
    const partial = path.join(project.templates, 'mpf', 'partials', 'status-badge.hbs')
    writeFileSync(partial, '<p class="badge">\n  {{status.lable}}\n</p>\n')
    const result = await runCli(['--only', 'jempas-ii'], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/templates\/mpf\/partials\/status-badge\.hbs:2 template: the sheet model has no field "lable"/)
  })

  it('#5 a record naming a theme that does not exist fails at its theme: line', async () => {
    project = tempProject()
    const record = path.join(project.content, 'jempas-ii.md')
    writeFileSync(record, readFileSync(record, 'utf8').replace('programme: mpf\n', 'programme: mpf\ntheme: horizn\n'))
    const result = await runCli(['--only', 'jempas-ii'], { cwd: project.dir })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('content/jempas-ii.md:6 theme: there is no theme "horizn"')
  })
})
