import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
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
    const pdf = path.join(project.out, 'proofs', 'horizon', 'jempas-ii.pdf')
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

  it('#5 #13 a template using a field the model does not have is a theme error: once, at the template line, exit 2', async () => {
    project = tempProject()
    const partial = path.join(project.templates, 'mpf', 'partials', 'status-badge.hbs')
    writeFileSync(partial, '<p class="badge">\n  {{status.lable}}\n</p>\n')
    const result = await runCli(['--only', 'jempas-ii,labour-mobility-morocco'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr.match(/templates\/mpf\/partials\/status-badge\.hbs:2 template: the sheet model has no field "lable"/g)).toHaveLength(1)
    expect(result.stdout).not.toContain('Failed:')
  })

  it('#14 a template error only one record brings out stops the build there: reported once, exit 2, nothing after it printed', async () => {
    project = tempProject()
    // Only the planned record (west-africa-border-data, the last in order) reaches the broken field.
    const partial = path.join(project.templates, 'mpf', 'partials', 'status-badge.hbs')
    writeFileSync(partial, '<p class="badge">{{status.label}}{{#if (eq status.key "planned")}}\n  {{status.lable}}{{/if}}</p>\n')
    const result = await runCli(['--concurrency', '1', '--only', 'asylum-capacity-long,jempas-ii,west-africa-border-data'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr.match(/templates\/mpf\/partials\/status-badge\.hbs:2 template: the sheet model has no field "lable"/g)).toHaveLength(1)
    expect(existsSync(path.join(project.out, 'west-africa-border-data.pdf'))).toBe(false)
    // The sheets printed before it rendered without error: whole, and listed in the manifest.
    const listed = (JSON.parse(readFileSync(path.join(project.out, 'manifest.json'), 'utf8')) as { sheets: { id: string }[] }).sheets.map((s) => s.id)
    expect(listed.sort()).toEqual(['asylum-capacity-long', 'jempas-ii'])
    expect(result.stdout + result.stderr).toContain('The build stopped at the first record the template failed on (2 sheets printed before it are whole)')
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

describe('#13 the designer\'s theme', () => {
  let project: TempProject | undefined
  afterEach(() => project?.remove())

  it('#13 a proof build of another theme writes to out/proofs/<theme>/ and never replaces the official sheets', async () => {
    project = tempProject()
    expect((await runCli(['--only', 'jempas-ii'], { cwd: project.dir })).code).toBe(0)
    const official = ['jempas-ii.pdf', 'manifest.json', 'index.html', 'sheets.csv'].map((name) => readFileSync(path.join(project!.out, name)))
    const result = await runCli(['--only', 'jempas-ii', '--theme', 'horizon', '--force'], { cwd: project.dir })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('Proof of theme horizon: writing to out/proofs/horizon/ (the official sheets in out/ are not touched; --out DIR to choose)')
    const note = 'note: theme horizon prints the programme blurb templates/mpf/programmes/mpf.md ("The Migration Partnership Facility") of the theme it extends'
    expect(result.stderr.split(note)).toHaveLength(2)
    const proofs = path.join(project.out, 'proofs', 'horizon')
    expect(fontsOf(path.join(proofs, 'jempas-ii.pdf')).some((name) => name.startsWith('IBMPlexSans'))).toBe(true)
    // The funders' words sit on the page number's baseline (IBM Plex: one font height for every weight).
    const footer = footerWords(path.join(proofs, 'jempas-ii.pdf'))
    const baseline = (text: string) => footer.find((word) => word.text === text)!.yMax
    expect(Math.abs(baseline('Funded') - baseline('Page'))).toBeLessThan(0.2)
    expect(Math.abs(baseline('Contracted') - baseline('Page'))).toBeLessThan(0.2)
    expect(JSON.parse(readFileSync(path.join(proofs, 'manifest.json'), 'utf8')).sheets[0].theme).toBe('horizon')
    expect(existsSync(path.join(proofs, 'index.html'))).toBe(true)
    const after = ['jempas-ii.pdf', 'manifest.json', 'index.html', 'sheets.csv'].map((name) => readFileSync(path.join(project!.out, name)))
    expect(after.map((bytes, i) => bytes.equals(official[i]))).toEqual([true, true, true, true])
  })

  it('#13 a missing partial stops the build once, at the template line, exit 2, blaming no record and keeping the PDFs', async () => {
    project = tempProject()
    expect((await runCli(['--only', 'jempas-ii'], { cwd: project.dir })).code).toBe(0)
    const before = readFileSync(path.join(project.out, 'jempas-ii.pdf'))
    const template = path.join(project.templates, 'mpf', 'factsheet.hbs')
    writeFileSync(template, readFileSync(template, 'utf8').replace('{{> key-facts}}', '{{> keyfacts}}'))
    const result = await runCli(['--force'], { cwd: project.dir })
    expect(result.code).toBe(2)
    const line = readFileSync(template, 'utf8').split('\n').findIndex((text) => text.includes('{{> keyfacts}}')) + 1
    expect(result.stderr.match(/the partial "keyfacts" does not exist/g)).toHaveLength(1)
    expect(result.stderr).toContain(`templates/mpf/factsheet.hbs:${line} the partial "keyfacts" does not exist in this theme or the themes it extends`)
    expect(result.stderr).toContain('hint: did you mean {{> key-facts}}?')
    expect(result.stderr + result.stdout).not.toContain('content/')
    expect(readFileSync(path.join(project.out, 'jempas-ii.pdf')).equals(before)).toBe(true)
  })

  it('#13 check:sheets renders every record through the templates: {{titel}} fails with the file and line, exit 2', async () => {
    project = tempProject()
    const template = path.join(project.templates, 'mpf', 'factsheet.hbs')
    writeFileSync(template, readFileSync(template, 'utf8').replace('{{title}}', '{{titel}}'))
    const result = await runCli(['check'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr.match(/templates\/mpf\/factsheet\.hbs:\d+ template: the sheet model has no field "titel" here/g)).toHaveLength(1)
    expect(result.stderr).toContain('did you mean "title"?')
    expect(existsSync(project.out)).toBe(false)
  })

  it('#13 any number of funder marks with long words: each stays in its own box, level with the page number', async () => {
    project = tempProject()
    const long = 'Co-funded by the Internal Security Fund of the European Union'
    const marks = ['Funded by the European Union', long, 'Contracted by ICMPD'].map((text, i) => ({ image: i === 1 ? 'assets/icmpd-mark.svg' : 'assets/eu-flag.svg', text }))
    project.write('templates/funders/theme.json', JSON.stringify({ extends: 'horizon', marks }, null, 2))
    // Every language the theme speaks words each mark.
    for (const lang of ['fr', 'ar']) project.write(`templates/funders/words/${lang}.json`, JSON.stringify({ marks: marks.map((mark) => `${lang}: ${mark.text}`) }))
    const result = await runCli(['--only', 'jempas-ii', '--theme', 'funders', '--out', 'proof'], { cwd: project.dir })
    expect(result.code).toBe(0)
    const words = footerWords(path.join(project.dir, 'proof', 'jempas-ii.pdf'))
    const boxes = [['Funded', 'Union'], ['Co-funded', 'Union'], ['Contracted', 'ICMPD'], ['Page', '2']].map(([first, last]) => {
      const from = words.findIndex((word) => word.text === first)
      const to = words.findIndex((word, i) => i > from && word.text === last)
      const own = words.slice(from, to + 1)
      const middle = (Math.min(...own.map((w) => w.yMin)) + Math.max(...own.map((w) => w.yMax))) / 2
      return { left: Math.min(...own.map((w) => w.xMin)), right: Math.max(...own.map((w) => w.xMax)), lines: new Set(own.map((w) => w.yMax)).size, middle }
    })
    for (let i = 1; i < boxes.length; i++) expect(boxes[i].left).toBeGreaterThan(boxes[i - 1].right)
    expect(boxes[1].lines).toBe(2)
    // Wrapped marks stay centred on the band, as the page number is.
    for (const box of boxes) expect(Math.abs(box.middle - boxes[3].middle)).toBeLessThan(1)
  })

  it('#13 check:sheets --contrast measures what the sheet paints: text on a near-white highlight, at its CSS rule', async () => {
    project = tempProject()
    project.write('templates/pale/theme.json', '{ "extends": "mpf", "colors": { "highlight": "#fbfaf4" } }\n')
    project.write('templates/pale/sheet.css', '.subtitle { color: var(--color-highlight); }\n.badge { background: var(--color-highlight); }\n')
    project.write('sheets.config.json', '{ "theme": "pale" }\n')
    const result = await runCli(['check', '--contrast'], { cwd: project.dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/templates\/pale\/sheet\.css:1 color of \.subtitle: text "[^"]+" \(p\.subtitle\) is painted #fbfaf4 on #ffffff: 1\.05:1, below the 4\.5:1 of WCAG AA/)
    expect(result.stderr).toContain('templates/mpf/sheet.css')
    expect(result.stderr).toContain('(p.badge.badge-completed) is painted #ffffff on #fbfaf4 (background: .badge at templates/pale/sheet.css:2)')
    expect(result.stderr).toContain('Contrast of what the themes paint: 4 text element(s) below WCAG AA, 0 large.')
    const clean = await runCli(['check', '--contrast', '--theme', 'horizon'], { cwd: project.dir })
    expect(clean.code).toBe(0)
  })
})

/** The words of page 1's footer band (the lowest 25 mm), in reading order, with their boxes. */
function footerWords(pdf: string): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const xml = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-bbox', pdf, '-'], { encoding: 'utf8' })
  const words = [...xml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
  return words.map((m) => ({ text: m[5], xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) })).filter((word) => word.yMax > 842 - 71)
}
