import fs, { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SheetError } from '../../src/core/errors.ts'
import { parseRecordText } from '../../src/record/load.ts'
import { buildModel } from '../../src/sheet/model.ts'
import { renderHtml } from '../../src/sheet/render-html.ts'
import { loadTheme, type Theme } from '../../src/theme/theme.ts'
import { validateRecord, type SheetRecord } from '../../src/record/validate.ts'
import { thrown } from '../helpers/errors.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const templatesDir = path.join(root, 'templates')

const RECORD = `---
title: Capacity Building for Migration Management
status: completed
programme: mpf
implementer: ICMPD
beneficiary: Jordan
countries: [EU countries, Jordan]
period: { start: 2020-02, end: 2021-10 }
budget:
  - { amount: 189403.21, currency: EUR, fund: AMIF }
  - { amount: 206308.69, currency: EUR, fund: ISF-Police }
---

Lead.

## Activities

Training.
`

function sheetRecord(): SheetRecord {
  const result = validateRecord(parseRecordText(RECORD, 'content/sample.md', path.join(root, 'content', 'sample.md')))
  if (Array.isArray(result)) throw new Error(result.map((e) => e.message).join('\n'))
  return result
}

const tmpDirs: string[] = []

/** A copy of the mpf theme in a fresh temporary templates folder; returns that folder. */
function copyTheme(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factsheets-theme-'))
  tmpDirs.push(dir)
  fs.cpSync(path.join(templatesDir, 'mpf'), path.join(dir, 'mpf'), { recursive: true })
  return dir
}

/** Reports name files relative to the working directory; this resolves them back to compare with real paths. */
const fileOf = (error: SheetError) => path.resolve(error.loc?.file ?? '')

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('the mpf theme', () => {
  let theme: Theme
  beforeAll(() => {
    theme = loadTheme(templatesDir, 'mpf', process.cwd())
  })

  it('loads its factsheet template', () => {
    expect(theme.name).toBe('mpf')
    expect([...theme.templates.keys()]).toEqual(['bundle', 'factsheet'])
  })

  it('loads the mpf programme with its short name MPF', () => {
    const programme = theme.programmes.get('mpf')
    expect(programme?.short).toBe('MPF')
    expect(programme?.name).toBe('The Migration Partnership Facility')
    expect(programme?.html).toContain('Migration Partnership Facility (MPF)')
  })

  it('#14 declares every Latin, Cyrillic, Greek and Vietnamese subset of its fonts, each under a stable URL served from memory', () => {
    expect(theme.css).toContain('@font-face')
    expect(theme.css).toContain('font-family: "Source Sans 3"')
    expect(theme.css).toContain('font-family: "Source Serif 4"')
    for (const subset of ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese']) {
      const url = `https://factsheets.invalid/fonts/@fontsource/source-sans-3@5.3.1/source-sans-3-${subset}-400-normal.woff2`
      expect(theme.css).toContain(`url(${url})`)
      expect(theme.served.get(url)).toMatch(new RegExp(`node_modules/@fontsource/source-sans-3/files/source-sans-3-${subset}-400-normal\\.woff2$`))
    }
    expect(theme.css).toMatch(/unicode-range: [^;]*U\+0400-045F/)
  })

  it('has CSS that loads nothing but its own fonts: no relative url(./...), no other http', () => {
    expect(theme.css).not.toContain('url(./')
    expect(theme.css.replaceAll('https://factsheets.invalid/fonts/', '')).not.toContain('http')
    expect([...theme.served.keys()].every((url) => url.startsWith('https://factsheets.invalid/fonts/'))).toBe(true)
  })

  it('exposes its colours as custom properties and prepares its images as data: URLs', () => {
    expect(theme.css).toContain('--color-primary: #123a63;')
    expect(theme.assets.get('assets/mpf-logo.svg')).toMatch(/^data:image\/svg\+xml;base64,/)
    expect(theme.assets.get('assets/eu-flag.svg')).toMatch(/^data:image\/svg\+xml;base64,/)
  })

  it('renders the sheet with the record and no unresolved template syntax', () => {
    const html = renderHtml(buildModel(sheetRecord(), theme), theme)
    expect(html).toContain('<h1 class="title">Capacity Building for Migration Management</h1>')
    expect(html).toContain('This MPF project was implemented by ICMPD on behalf of Jordan.')
    expect(html).not.toMatch(/\{\{|\}\}/)
  })
})

describe('a broken copy of the theme', () => {
  it('#9 reads a programme blurb with the records\' loader: broken YAML and unknown fields are ThemeInvalid at their line', () => {
    const dir = copyTheme()
    const blurb = path.join(dir, 'mpf', 'programmes', 'mpf.md')
    fs.writeFileSync(blurb, '---\nname: [unclosed\nshort: MPF\n---\n\nThe blurb.\n')
    const broken = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(broken.code).toBe('ThemeInvalid')
    expect(fileOf(broken)).toBe(blurb)
    expect(broken).toMatchObject({ message: 'a list opened with [ is not closed on its line', field: 'name', loc: { line: 2 }, hint: 'end it with ] on the same line: name: [unclosed]' })
    fs.writeFileSync(blurb, '---\nname: The Facility\nshrot: MPF\n---\n\nThe blurb.\n')
    const unknown = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(unknown).toMatchObject({ code: 'ThemeInvalid', field: 'shrot', loc: { line: 3 }, hint: 'did you mean "short"?' })
    fs.writeFileSync(blurb, '---\nname: The Facility\nshort: TF\n---\n\nThe **blurb**.\n')
    expect(loadTheme(dir, 'mpf', process.cwd()).programmes.get('mpf')).toMatchObject({ name: 'The Facility', short: 'TF', html: '<p>The <strong>blurb</strong>.</p>\n' })
  })

  it('refuses a bad colour in theme.json with ThemeInvalid naming the file, line and field', () => {
    const dir = copyTheme()
    const tokens = path.join(dir, 'mpf', 'theme.json')
    const text = fs.readFileSync(tokens, 'utf8')
    const line = text.split('\n').findIndex((l) => l.includes('"accent"')) + 1
    fs.writeFileSync(tokens, text.replace('"accent": "#00727d"', '"accent": "teal"'))
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('ThemeInvalid')
    expect(fileOf(error)).toBe(tokens)
    expect(error.loc?.line).toBe(line)
    expect(error.field).toBe('colors.accent')
    expect(error.message).toBe('expected a colour written #rgb or #rrggbb (got "teal")')
  })

  it('refuses an unknown setting in theme.json on its line', () => {
    const dir = copyTheme()
    const tokens = path.join(dir, 'mpf', 'theme.json')
    fs.writeFileSync(tokens, fs.readFileSync(tokens, 'utf8').replace('  "subsets"', '  "colours": {},\n  "subsets"'))
    const line =
      fs
        .readFileSync(tokens, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"colours"')) + 1
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('ThemeInvalid')
    expect(fileOf(error)).toBe(tokens)
    expect(error.loc?.line).toBe(line)
    expect(error.field).toBe('colours')
  })

  it('refuses a partial using {{asset "missing.svg"}} with a TemplateError naming the partial and its line', () => {
    const dir = copyTheme()
    const partial = path.join(dir, 'mpf', 'partials', 'status-badge.hbs')
    fs.writeFileSync(partial, '<p class="badge">\n  <img src="{{asset "missing.svg"}}" alt="">\n</p>\n')
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('TemplateError')
    expect(fileOf(error)).toBe(partial)
    expect(error.loc?.line).toBe(2)
    expect(error.message).toContain('missing.svg')
  })

  it('refuses a template with a syntax error with a TemplateError naming the template', () => {
    const dir = copyTheme()
    const template = path.join(dir, 'mpf', 'factsheet.hbs')
    fs.writeFileSync(template, '<h1>{{title}}</h1>\n{{#if subtitle}}\n<p>{{subtitle}}</p>\n')
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('TemplateError')
    expect(fileOf(error)).toBe(template)
  })

  it('fails rendering with a TemplateError naming the template when it uses a field the model does not have', () => {
    const dir = copyTheme()
    const template = path.join(dir, 'mpf', 'factsheet.hbs')
    fs.writeFileSync(template, '<h1>{{title}}</h1>\n<p>{{budgetTotal}}</p>\n')
    const theme = loadTheme(dir, 'mpf', process.cwd())
    const error = thrown(() => renderHtml(buildModel(sheetRecord(), theme), theme))
    expect(error.code).toBe('TemplateError')
    expect(fileOf(error)).toBe(template)
    expect(error.loc?.line).toBe(2)
    expect(error.message).toContain('the sheet model has no field "budgetTotal"')
  })

  it('names the partial, not the template, when the unknown field is in a partial', () => {
    const dir = copyTheme()
    const partial = path.join(dir, 'mpf', 'partials', 'key-facts.hbs')
    fs.writeFileSync(partial, fs.readFileSync(partial, 'utf8').replace('{{period}}', '{{timeFrame}}'))
    const line =
      fs
        .readFileSync(partial, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('{{timeFrame}}')) + 1
    const theme = loadTheme(dir, 'mpf', process.cwd())
    const error = thrown(() => renderHtml(buildModel(sheetRecord(), theme), theme))
    expect(error.code).toBe('TemplateError')
    expect(fileOf(error)).toBe(partial)
    expect(error.loc?.line).toBe(line)
  })

  it('refuses @import in sheet.css with ThemeInvalid and its line', () => {
    const dir = copyTheme()
    const css = path.join(dir, 'mpf', 'sheet.css')
    const before = fs.readFileSync(css, 'utf8')
    fs.writeFileSync(css, `@import url("https://fonts.example.org/brand.css");\n${before}`)
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('ThemeInvalid')
    expect(fileOf(error)).toBe(css)
    expect(error.loc?.line).toBe(1)
    expect(error.message).toContain('@import')
  })

  it('refuses url(http://...) in sheet.css with ThemeInvalid and its line', () => {
    const dir = copyTheme()
    const css = path.join(dir, 'mpf', 'sheet.css')
    const before = fs.readFileSync(css, 'utf8')
    fs.writeFileSync(css, `${before}\n.tracker {\n  background: url(http://evil.example/pixel.png);\n}\n`)
    const line = before.split('\n').length + 2
    const error = thrown(() => loadTheme(dir, 'mpf', process.cwd()))
    expect(error.code).toBe('ThemeInvalid')
    expect(fileOf(error)).toBe(css)
    expect(error.loc?.line).toBe(line)
    expect(error.message).toContain('http://evil.example/pixel.png')
  })

  it('inlines url(assets/...) in sheet.css as a data: URL', () => {
    const dir = copyTheme()
    const css = path.join(dir, 'mpf', 'sheet.css')
    fs.appendFileSync(css, '\n.flag { background: url(assets/eu-flag.svg); }\n')
    const theme = loadTheme(dir, 'mpf', process.cwd())
    expect(theme.css).toMatch(/\.flag \{ background: url\("data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"\); \}/)
    expect(theme.css).not.toContain('assets/eu-flag.svg')
  })

  it('#9 refuses a theme name that does not exist with ThemeNotFound listing the themes there', () => {
    const error = thrown(() => loadTheme(templatesDir, 'nope', process.cwd()))
    expect(error.code).toBe('ThemeNotFound')
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('there is no theme "nope"')
    expect(error.hint).toBe('themes here: horizon, mpf')
  })
})

describe('themes that extend others', () => {
  it('#5 horizon extends mpf: its own colours, fonts and logo, the base theme programmes and marks', () => {
    const horizon = loadTheme(templatesDir, 'horizon', process.cwd())
    const mpf = loadTheme(templatesDir, 'mpf', process.cwd())
    expect(horizon.tokens.colors.primary).toBe('#0f4c45')
    expect(horizon.tokens.colors.primary).not.toBe(mpf.tokens.colors.primary)
    expect(horizon.tokens.fonts.body.family).toBe('IBM Plex Sans')
    expect(horizon.tokens.logo?.text).toBe('Horizon Mobility Programme')
    expect(horizon.tokens.marks).toEqual(mpf.tokens.marks)
    expect(horizon.languages.get('en')!.text.timeFrame).toBe('Duration')
    expect(horizon.tokens.text.partners).toBe(mpf.tokens.text.partners)
    expect(horizon.programmes.get('mpf')?.short).toBe('MPF')
    expect([...horizon.templates.keys()]).toContain('factsheet')
    expect(horizon.css.indexOf('.hz-band')).toBeGreaterThan(horizon.css.indexOf('.masthead'))
  })

  it('#5 a derived theme that names a missing base theme is an error at its extends line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'theme-extends-'))
    try {
      mkdirSync(path.join(dir, 'child'))
      writeFileSync(path.join(dir, 'child', 'theme.json'), '{\n  "name": "Child",\n  "extends": "nowhere"\n}\n')
      const error = thrown(() => loadTheme(dir, 'child', process.cwd()))
      expect(error.code).toBe('ThemeNotFound')
      expect(error.message).toContain('there is no theme "nowhere"')
      expect(error.loc?.line).toBe(3)
      expect(error.field).toBe('extends')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('#5 themes that extend each other in a circle are an error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'theme-circle-'))
    try {
      for (const [name, base] of [
        ['a', 'b'],
        ['b', 'a'],
      ]) {
        mkdirSync(path.join(dir, name))
        writeFileSync(path.join(dir, name, 'theme.json'), JSON.stringify({ name, extends: base }, null, 2))
      }
      expect(thrown(() => loadTheme(dir, 'a', process.cwd())).message).toContain('a → b → a')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('#5 a derived theme overrides one partial and keeps the others', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'theme-partial-'))
    try {
      cpSync(path.join(templatesDir, 'mpf'), path.join(dir, 'mpf'), { recursive: true })
      mkdirSync(path.join(dir, 'child', 'partials'), { recursive: true })
      writeFileSync(path.join(dir, 'child', 'theme.json'), '{ "extends": "mpf", "colors": { "primary": "#000000" } }\n')
      writeFileSync(path.join(dir, 'child', 'partials', 'status-badge.hbs'), '<p class="badge">CHILD BADGE {{status.label}}</p>\n')
      const child = loadTheme(dir, 'child', process.cwd())
      expect(child.tokens.colors.primary).toBe('#000000')
      expect(child.tokens.colors.accent).toBe(loadTheme(dir, 'mpf', process.cwd()).tokens.colors.accent)
      expect(child.tokens.name).toBe('Migration Partnership Facility')
      expect(child.files.some((file) => file.endsWith(path.join('child', 'partials', 'status-badge.hbs')))).toBe(true)
      expect(child.files.some((file) => file.endsWith(path.join('mpf', 'partials', 'key-facts.hbs')))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('colour contrast', () => {
  it("#6 refuses body text below WCAG AA (4.5:1) at the contrast pair's line, and warns for large text below 3:1", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'theme-contrast-'))
    try {
      cpSync(path.join(templatesDir, 'mpf'), path.join(dir, 'mpf'), { recursive: true })
      mkdirSync(path.join(dir, 'pale'))
      writeFileSync(
        path.join(dir, 'pale', 'theme.json'),
        [
          '{',
          '  "extends": "mpf",',
          '  "colors": { "text": "#9a9a9a" },',
          '  "contrast": [',
          '    { "text": "text", "background": "#ffffff", "where": "running text" }',
          '  ]',
          '}',
          '',
        ].join('\n'),
      )
      const error = thrown(() => loadTheme(dir, 'pale', process.cwd()))
      expect(error.code).toBe('ThemeInvalid')
      expect(error.message).toMatch(/^body text text on #ffffff \(running text\) has a contrast of 2\.\d\d:1, below the 4\.5:1 of WCAG AA$/)
      expect(error.loc).toMatchObject({ line: 5 })
      expect(error.loc?.file).toMatch(/pale\/theme\.json$/)
      writeFileSync(
        path.join(dir, 'pale', 'theme.json'),
        '{ "extends": "mpf", "contrast": [{ "text": "#9a9a9a", "background": "#ffffff", "size": "large", "where": "title" }] }\n',
      )
      const pale = loadTheme(dir, 'pale', process.cwd())
      expect(pale.warnings).toHaveLength(1)
      expect(pale.warnings[0].message).toContain('large text #9a9a9a on #ffffff (title) has a contrast of 2.')
      expect(loadTheme(templatesDir, 'mpf', process.cwd()).warnings).toEqual([])
      expect(loadTheme(templatesDir, 'horizon', process.cwd()).warnings).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
