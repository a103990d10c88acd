import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { colorsNamed } from 'culori'
import postcss from 'postcss'
import { afterAll, describe, expect, it } from 'vitest'
import { writeTheme } from '../../src/cli/new-theme.ts'
import { resolveConfig } from '../../src/config/config.ts'
import { SheetError } from '../../src/core/errors.ts'
import { parseRecordText } from '../../src/record/load.ts'
import { validateRecord, type SheetRecord } from '../../src/record/validate.ts'
import { buildModel } from '../../src/sheet/model.ts'
import { renderHtml } from '../../src/sheet/render-html.ts'
import { resolveSheets } from '../../src/sheet/resolve.ts'
import { loadTheme } from '../../src/theme/theme.ts'
import { thrown } from '../helpers/errors.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const templatesDir = path.join(root, 'templates')
const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

/** A temporary templates folder holding copies of mpf and horizon, plus a theme `child` with the given files. */
function themes(child: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'theme-checks-'))
  dirs.push(dir)
  for (const name of ['mpf', 'horizon']) cpSync(path.join(templatesDir, name), path.join(dir, name), { recursive: true })
  for (const [file, text] of Object.entries(child)) {
    mkdirSync(path.dirname(path.join(dir, 'child', file)), { recursive: true })
    writeFileSync(path.join(dir, 'child', file), text)
  }
  return dir
}

function sample(extra = ''): SheetRecord {
  const text = `---\ntitle: T\nstatus: ongoing\nprogramme: mpf\nimplementer: ICMPD\ncountries: [Jordan]\nperiod: { start: 2020-02 }\nbudget:\n  - { amount: 1, currency: EUR }\n${extra}---\n\nLead.\n`
  const record = validateRecord(parseRecordText(text, 'content/sample.md', path.join(root, 'content', 'sample.md')))
  if (Array.isArray(record)) throw record[0]
  return record
}

describe('#13 every key of theme.json is checked', () => {
  it('a misspelt colour name ("primray") is an error at its line with did-you-mean, not a silent no-op', () => {
    const dir = themes({ 'theme.json': '{\n  "extends": "mpf",\n  "colors": {\n    "primray": "#000000"\n  }\n}\n' })
    const error = thrown(() => loadTheme(dir, 'child', dir))
    expect(error.code).toBe('ThemeInvalid')
    expect(error.field).toBe('colors.primray')
    expect(error.loc).toEqual({ file: 'child/theme.json', line: 4 })
    expect(error.message).toBe('"primray" is not a color name that the theme or its base uses, so it changes nothing')
    expect(error.hint).toBe('did you mean "primary"?')
  })

  it('top-level and nested typos get did-you-mean too (colours, page.marign, text.abuot, footer.markHieght)', () => {
    const cases: [string, string, string, number][] = [
      ['{\n  "extends": "mpf",\n  "colours": {}\n}\n', 'colours', 'colors', 3],
      ['{\n  "extends": "mpf",\n  "page": { "marign": "1cm" }\n}\n', 'page.marign', 'margin', 3],
      ['{\n  "extends": "mpf",\n  "text": {\n    "abuot": "About"\n  }\n}\n', 'text.abuot', 'about', 4],
      ['{\n  "extends": "mpf",\n  "footer": { "markHieght": "5mm" }\n}\n', 'footer.markHieght', 'markHeight', 3],
    ]
    for (const [json, field, guess, line] of cases) {
      const error = thrown(() => loadTheme(themes({ 'theme.json': json }), 'child', root))
      expect(error.field).toBe(field)
      expect(error.hint).toBe(`did you mean "${guess}"?`)
      expect(error.loc?.line).toBe(line)
    }
  })

  it('a colour no CSS uses and close to no known name is a warning with its line', () => {
    const dir = themes({ 'theme.json': '{\n  "extends": "mpf",\n  "colors": { "sunset": "#ff8800" }\n}\n' })
    const theme = loadTheme(dir, 'child', dir)
    expect(theme.warnings).toEqual([{ file: 'child/theme.json:3', message: 'colors.sunset is used by no CSS of the theme (var(--color-sunset)) nor by a contrast pair' }])
  })
})

describe('#13 template errors are the theme\'s, found once when it loads', () => {
  it('a missing partial is a TemplateError at the line that uses it, with the partial it likely meant', () => {
    const dir = themes({ 'theme.json': '{ "extends": "mpf" }\n', 'factsheet.hbs': '<h1>{{title}}</h1>\n\n{{> key-fact}}\n' })
    const error = thrown(() => loadTheme(dir, 'child', dir))
    expect(error.code).toBe('TemplateError')
    expect(error.exitCode).toBe(2)
    expect(error.loc).toEqual({ file: 'child/factsheet.hbs', line: 3 })
    expect(error.message).toBe('the partial "key-fact" does not exist in this theme or the themes it extends')
    expect(error.hint).toBe('did you mean {{> key-facts}}?')
  })

  it('an unclosed {{#if}} names the block and the line where it opens', () => {
    const source = '<h1>{{title}}</h1>\n{{#if subtitle}}\n  <p>{{subtitle}}</p>\n{{#each countries}}{{this}}{{/each}}\n'
    const error = thrown(() => loadTheme(themes({ 'theme.json': '{ "extends": "mpf" }\n', 'factsheet.hbs': source }), 'child', root))
    expect(error.message).toBe('{{#if}} opened on line 2 is never closed')
    expect(error.loc?.line).toBe(2)
    expect(error.hint).toBe('add {{/if}} where the block ends')
  })

  it('an HTML field in double braces ({{lead}}) is a warning naming the template line and the triple braces', () => {
    const dir = themes({ 'theme.json': '{ "extends": "mpf" }\n', 'factsheet.hbs': '{{> footer}}\n<h1>{{title}}</h1>\n{{lead}}\n' })
    const theme = loadTheme(dir, 'child', dir)
    expect(theme.warnings).toContainEqual({ file: 'child/factsheet.hbs:3', message: '{{lead}} holds HTML: in double braces it prints the tags as text (a literal <p>); write {{{lead}}}' })
  })
})

describe('#13 contrast', () => {
  it('reports every failing declared pair, not only the first', () => {
    const json = '{\n  "extends": "mpf",\n  "colors": { "text": "#9a9a9a", "muted": "#b0b0b0" },\n  "contrast": [\n    { "text": "text", "background": "#ffffff" },\n    { "text": "muted", "background": "#ffffff" }\n  ]\n}\n'
    const error = thrown(() => loadTheme(themes({ 'theme.json': json }), 'child', root))
    expect(error.loc?.line).toBe(5)
    expect(error.message).toMatch(/^body text text on #ffffff has a contrast of 2\.\d\d:1, below the 4\.5:1 of WCAG AA; and muted on #ffffff has a contrast of 2\.\d\d:1, below the 4\.5:1 of WCAG AA \(line 6\)$/)
    expect(error.hint).toContain('(2 pairs)')
  })
})

describe('#13 the footer band', () => {
  it('prints every funder mark of theme.json from the footer partial, with its height and colour as tokens', () => {
    const marks = [1, 2, 3].map((n) => `{ "image": "assets/eu-flag.svg", "text": "Funder number ${n}"${n === 3 ? ', "height": "4mm", "color": "accent"' : ''} }`)
    // Each language words every mark: a theme with a mark more words it in French and Arabic too.
    const words = (lang: string) => `{ "marks": [${[1, 2, 3].map((n) => `"${lang} ${n}"`).join(', ')}] }\n`
    const dir = themes({ 'theme.json': `{ "extends": "mpf", "marks": [${marks.join(', ')}] }\n`, 'words/fr.json': words('fr'), 'words/ar.json': words('ar') })
    const theme = loadTheme(dir, 'child', dir)
    expect(theme.languages.get('fr')!.marks).toEqual(['fr 1', 'fr 2', 'fr 3'])
    const html = renderHtml(buildModel(sample(), theme), theme)
    expect(html.match(/class="footer-mark footer-mark-\d"/g)).toHaveLength(3)
    expect(html).toContain('Funder number 3')
    expect(html).not.toMatch(/ style=/)
    expect(theme.css).toContain('.footer-mark-2 { --mark-height: 4mm; --mark-color: var(--color-accent); }')
    expect(theme.css).toContain('.footer-mark-0 { --mark-height: var(--footer-mark-height); --mark-color: var(--color-primary); }')
    expect(theme.css).toContain('--footer-mark-height: 5.8mm;')
  })

  it('no theme CSS has a literal colour: every colour is a token of theme.json (the EU blue too)', () => {
    const named = new Set(Object.keys(colorsNamed))
    const literals: string[] = []
    for (const theme of ['mpf', 'horizon']) {
      const file = path.join(templatesDir, theme, 'sheet.css')
      postcss.parse(readFileSync(file, 'utf8')).walkDecls((decl) => {
        const value = decl.value.replace(/var\([^()]*\)/g, '')
        const words = value.match(/[a-z]+/gi) ?? []
        const found = [...(value.match(/#[0-9a-f]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/gi) ?? []), ...words.filter((word) => named.has(word.toLowerCase()))]
        for (const colour of found) literals.push(`${theme}/sheet.css:${decl.source?.start?.line} ${decl.prop}: ${colour}`)
      })
    }
    expect(literals).toEqual([])
    expect(loadTheme(templatesDir, 'mpf', root).tokens.colors['eu-blue']).toBe('#003399')
  })
})

describe('#13 proof builds and new themes', () => {
  it('--theme other than the project\'s, without --out, writes to out/proofs/<theme>/', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'proof-'))
    dirs.push(cwd)
    expect(await resolveConfig({ theme: 'horizon' }, cwd, {})).toMatchObject({ out: path.join(cwd, 'out', 'proofs', 'horizon'), proof: 'horizon' })
    expect(await resolveConfig({ theme: 'horizon', out: 'x' }, cwd, {})).toMatchObject({ out: path.join(cwd, 'x'), proof: undefined })
    expect(await resolveConfig({ theme: 'mpf' }, cwd, {})).toMatchObject({ out: path.join(cwd, 'out'), proof: undefined })
    writeFileSync(path.join(cwd, 'sheets.config.json'), '{ "theme": "horizon" }\n')
    expect((await resolveConfig({ theme: 'horizon' }, cwd, {})).out).toBe(path.join(cwd, 'out'))
    expect((await resolveConfig({ theme: 'mpf' }, cwd, {})).out).toBe(path.join(cwd, 'out', 'proofs', 'mpf'))
  })

  it('new:theme writes a theme that extends its base, loads, and says what to change; never over an existing one', async () => {
    const dir = themes()
    const folder = await writeTheme(dir, 'danube', 'horizon', dir)
    const json = JSON.parse(readFileSync(path.join(folder, 'theme.json'), 'utf8'))
    expect(json.extends).toBe('horizon')
    expect(json.$comment.join(' ')).toContain('Extends horizon')
    expect(Object.keys(json.colors)).toContain('primary')
    const theme = loadTheme(dir, 'danube', dir)
    expect(theme.tokens.colors.primary).toBe('#0f4c45')
    expect(theme.warnings).toEqual([])
    expect(readFileSync(path.join(folder, 'README.md'), 'utf8')).toContain('npm run preview:sheets -- --theme danube')
    const again = await writeTheme(dir, 'danube', 'mpf', dir).catch((error: unknown) => error)
    expect(again).toBeInstanceOf(SheetError)
    expect((again as SheetError).message).toBe('danube already exists')
    expect(existsSync(path.join(dir, 'danube', 'assets'))).toBe(true)
  })

  it('a theme printing a programme blurb of its base theme gets one note naming the theme and the blurb file', () => {
    const config = { templates: templatesDir, theme: 'horizon', cwd: root }
    const resolution = resolveSheets([sample(), { ...sample(), id: 'other' }], config)
    expect(resolution.notes).toEqual([
      'note: theme horizon prints the programme blurb templates/mpf/programmes/mpf.md ("The Migration Partnership Facility") of the theme it extends; to word it for this brand, add templates/horizon/programmes/mpf.md',
    ])
    expect(resolveSheets([sample()], { ...config, theme: 'mpf' }).notes).toEqual([])
  })
})
