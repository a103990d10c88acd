/** #11 Languages without a browser: the themes' words per language, translations checked and merged, countries and numbers in the sheet's language. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src/core/format.ts'
import type { SheetError } from '../../src/core/errors.ts'
import { parseRecordText } from '../../src/record/load.ts'
import { translationWarnings } from '../../src/record/freshness.ts'
import { translationName } from '../../src/record/files.ts'
import { recordTextHash } from '../../src/record/translation.ts'
import { validateAll, type SheetRecord } from '../../src/record/validate.ts'
import { translationSkeleton } from '../../src/cli/translate.ts'
import { buildModel } from '../../src/sheet/model.ts'
import { resolveSheets } from '../../src/sheet/resolve.ts'
import { placeNames } from '../../src/sheet/place-names.ts'
import { countWord, formatLocale } from '../../src/theme/languages.ts'
import { loadTheme } from '../../src/theme/theme.ts'
import { ROOT, SAMPLE_RECORDS, tempProject } from '../helpers/project.ts'

const TEMPLATES = path.join(ROOT, 'templates')
const mpf = loadTheme(TEMPLATES, 'mpf', ROOT)
const horizon = loadTheme(TEMPLATES, 'horizon', ROOT)
const projects: { remove(): void }[] = []
afterAll(() => projects.forEach((project) => project.remove()))

const JEMPAS = readFileSync(path.join(SAMPLE_RECORDS, 'jempas-ii.md'), 'utf8')
const source = (file: string, text: string) => parseRecordText(text, `content/${file}`, `/p/content/${file}`)

/** The records and failures of a content folder given as files. */
function validate(files: Record<string, string>) {
  return validateAll(Object.entries(files).map(([file, text]) => source(file, text)))
}

function themeError(edit: (templates: string) => void): SheetError {
  const project = tempProject({ from: null })
  projects.push(project)
  edit(project.templates)
  try {
    loadTheme(project.templates, 'mpf', project.dir)
  } catch (error) {
    return error as SheetError
  }
  throw new Error('the theme loaded')
}

describe('#11 the themes speak English, French and Arabic', () => {
  it('ships every word in each language, right to left for Arabic, Latin digits by default', () => {
    for (const theme of [mpf, horizon]) {
      expect([...theme.languages.keys()]).toEqual(['ar', 'en', 'fr'])
      expect(theme.languages.get('ar')!.dir).toBe('rtl')
      expect(theme.languages.get('fr')!.dir).toBe('ltr')
      expect(theme.languages.get('ar')!.digits).toBe('latn')
      const en = theme.languages.get('en')!.text
      for (const lang of ['fr', 'ar']) {
        const words = theme.languages.get(lang)!.text
        for (const key of ['partners', 'timeFrame', 'about', 'statusCompleted', 'keyFacts', 'pageNumber'] as const) expect(words[key], `${theme.name} ${lang} ${key}`).not.toBe(en[key])
      }
    }
    // A derived theme words what it changes and inherits the rest.
    expect(horizon.languages.get('en')!.text.about).toBe('The project')
    expect(horizon.languages.get('fr')!.text.partners).toBe(mpf.languages.get('fr')!.text.partners)
  })

  it('names the words file and the key a language lacks', () => {
    const error = themeError((templates) => {
      const file = path.join(templates, 'mpf', 'words', 'fr.json')
      const words = JSON.parse(readFileSync(file, 'utf8'))
      delete words.text.timeFrame
      writeFileSync(file, JSON.stringify(words, null, 2))
    })
    expect(error.code).toBe('ThemeInvalid')
    expect(error.loc?.file).toBe(path.join('templates', 'mpf', 'words', 'fr.json'))
    expect(error.message).toContain('timeFrame')
    expect(error.field).toBe('text.timeFrame')
  })

  it('refuses a misspelt key at its line, with the closest', () => {
    const error = themeError((templates) => {
      const file = path.join(templates, 'mpf', 'words', 'fr.json')
      writeFileSync(file, readFileSync(file, 'utf8').replace('"timeFrame"', '"timeframe"'))
    })
    expect(error.code).toBe('ThemeInvalid')
    expect(error.loc?.line).toBeGreaterThan(1)
    expect(`${error.message} ${error.hint}`).toContain('timeFrame')
  })

  it('asks a theme with another number of funder marks to word them in each language, in its own words file', () => {
    const error = themeError((templates) => {
      const file = path.join(templates, 'mpf', 'theme.json')
      const tokens = JSON.parse(readFileSync(file, 'utf8'))
      tokens.marks.push({ image: 'assets/eu-flag.svg', text: 'Co-funded by the Internal Security Fund' })
      writeFileSync(file, JSON.stringify(tokens, null, 2))
    })
    expect(error.message).toBe(`the theme has 3 funder marks, but ${path.join('templates', 'mpf', 'words', 'ar.json')} words 2`)
    expect(error.hint).toContain(path.join('templates', 'mpf', 'words', 'ar.json'))
  })

  it('asks for the words of every group of countries in each language', () => {
    const error = themeError((templates) => {
      const file = path.join(templates, 'mpf', 'words', 'ar.json')
      const words = JSON.parse(readFileSync(file, 'utf8'))
      delete words.groups['Western Balkans']
      writeFileSync(file, JSON.stringify(words, null, 2))
    })
    expect(error.message).toContain('"Western Balkans"')
    expect(error.loc?.file).toBe(path.join('templates', 'mpf', 'words', 'ar.json'))
  })
})

describe('#11 countries, numbers and counts in the sheet\'s language', () => {
  const fr = mpf.languages.get('fr')!
  const ar = mpf.languages.get('ar')!

  it('names countries with Intl in any spelling the records use, groups with the theme\'s words', () => {
    const entries = ['Jordan', 'Türkiye', 'Turkey', "Côte d’Ivoire", "Cote d'Ivoire", 'Republic of Moldova', 'Czech Republic', 'Kosovo', 'TN', 'EU countries', 'Western Balkans']
    expect(placeNames(entries, mpf.tokens.groups, fr, 'fr').names).toEqual([
      'Jordanie', 'Turquie', 'Turquie', 'Côte d’Ivoire', 'Côte d’Ivoire', 'Moldavie', 'Tchéquie', 'Kosovo', 'Tunisie', fr.groups['EU countries'], fr.groups['Western Balkans'],
    ])
    expect(placeNames(['Jordan', 'Morocco'], mpf.tokens.groups, ar, 'ar').names).toEqual(['الأردن', 'المغرب'])
    // A record written in French or Arabic names its countries in its language too.
    expect(placeNames(['Jordanie', 'Égypte', 'المغرب'], mpf.tokens.groups, fr, 'fr').names).toEqual(['Jordanie', 'Égypte', 'Maroc'])
    // An English sheet keeps a name as the record writes it, and names a code.
    expect(placeNames(['Republic of Moldova', 'JO'], mpf.tokens.groups, mpf.languages.get('en')!, 'en').names).toEqual(['Republic of Moldova', 'Jordan'])
  })

  it('prints other words as written, with a warning in a translation, or the translation\'s own words', () => {
    const other = 'neighbouring countries in the region'
    const plain = placeNames([other], mpf.tokens.groups, fr, 'fr', {}, true)
    expect(plain.names).toEqual([other])
    expect(plain.warnings).toEqual([expect.stringContaining(`"${other}"`)])
    expect(placeNames([other], mpf.tokens.groups, fr, 'fr', { [other]: 'pays voisins de la région' }, true)).toEqual({ names: ['pays voisins de la région'], warnings: [] })
  })

  it('writes digits as the theme says, and thousands with a space every font has', () => {
    expect(formatMoney(335880000n, 'CHF', formatLocale('fr', fr))).toBe('3\u00a0358\u00a0800,00\u00a0CHF')
    expect(formatMoney(18940321n, 'EUR', formatLocale('ar', { digits: 'arab' }))).toContain('١٨٩٬٤٠٣٫٢١')
    expect(formatMoney(18940321n, 'EUR', formatLocale('ar', ar))).toContain('189,403.21')
  })

  it('counts with the language\'s plural forms', () => {
    const word = { zero: '{count} z', one: '{count} o', two: '{count} t', few: '{count} f', many: '{count} m', other: '{count} x' }
    expect([0, 1, 2, 3, 11, 100].map((n) => countWord(word, n, 'ar-u-nu-latn'))).toEqual(['0 z', '1 o', '2 t', '3 f', '11 m', '100 x'])
    expect(countWord(mpf.languages.get('en')!.text.bundleProjectCount, 1, 'en')).toBe('1 project')
  })
})

describe('#11 translations beside their records', () => {
  const translation = (front: string, body = 'Texte traduit.\n') => `---\n${front}\n---\n${body}`

  it('gives a translation the record\'s facts, its own text, and out/<id>.<lang>', () => {
    const { records, failures } = validate({ 'jempas-ii.md': JEMPAS, 'jempas-ii.fr.md': translation('title: Renforcement des capacités\nimplementer: l’ICMPD') })
    expect(failures).toEqual([])
    const french = records.find((record) => record.translation)!
    expect(french.id).toBe('jempas-ii.fr')
    expect(french.fields).toMatchObject({ title: 'Renforcement des capacités', implementer: 'l’ICMPD', lang: 'fr', status: 'completed' })
    expect(french.fields.budget).toEqual(records.find((record) => !record.translation)!.fields.budget)
    const model = buildModel(french, mpf)
    expect(model.lang).toBe('fr')
    expect(model.countriesText).toBe(`${mpf.languages.get('fr')!.groups['EU countries']} et Jordanie`)
    expect(model.period).toMatch(/^février 2020\s–\s?octobre 2021$/)
    expect(model.budget.lines[0].text).toContain('189\u00a0403,21')
    expect(model.partners).toContain('l’ICMPD')
    expect(model.programme?.name).not.toBe(mpf.programmes.get('mpf')!.name)
  })

  it('refuses a fact in a translation, naming the field, its line and the record it belongs to', () => {
    const { failures } = validate({ 'jempas-ii.md': JEMPAS, 'jempas-ii.fr.md': translation('title: Titre\nstatus: ongoing\nbudget:\n  - amount: 5\n    currency: EUR') })
    expect(failures).toHaveLength(1)
    expect(failures[0].errors.map((e) => [e.code, e.field, e.loc?.line])).toEqual([
      ['TranslationInvalid', 'status', 3],
      ['TranslationInvalid', 'budget', 4],
    ])
    expect(failures[0].errors[0].message).toBe('status is a fact of the record content/jempas-ii.md, not of a translation: set it there')
  })

  it('refuses an orphan translation, one in the record\'s own language, and one whose record is broken', () => {
    const orphan = validate({ 'jempas-iii.fr.md': translation('title: Titre') }).failures[0]
    expect(orphan.errors[0]).toMatchObject({ code: 'TranslationInvalid', loc: { file: 'content/jempas-iii.fr.md', line: 1 } })
    expect(orphan.errors[0].message).toContain('"jempas-iii"')
    const same = validate({ 'jempas-ii.md': JEMPAS, 'jempas-ii.en.md': translation('title: Title') }).failures[0]
    expect(same.errors[0].message).toContain('is in en already')
    const broken = validate({ 'jempas-ii.md': JEMPAS.replace('status: completed', 'status: finished'), 'jempas-ii.fr.md': translation('title: Titre') })
    expect(broken.failures.map((f) => f.file)).toEqual(['content/jempas-ii.fr.md', 'content/jempas-ii.md'])
    expect(broken.failures[0].errors[0].message).toBe('the record it translates, content/jempas-ii.md, cannot be built: fix its errors first')
  })

  it('fails a sheet whose programme has no blurb in its language, naming the file to add', () => {
    const project = tempProject({ from: null })
    projects.push(project)
    rmSync(path.join(project.templates, 'mpf', 'programmes', 'mpf.fr.md'))
    const { records } = validate({ 'jempas-ii.md': JEMPAS, 'jempas-ii.fr.md': translation('title: Titre'), 'jempas-ii.ar.md': translation('title: عنوان') })
    const { sheets, failures } = resolveSheets(records, { templates: project.templates, theme: 'mpf', cwd: project.dir })
    expect(sheets.map((sheet) => sheet.record.id).sort()).toEqual(['jempas-ii', 'jempas-ii.ar'])
    expect(failures).toHaveLength(1)
    expect(failures[0].errors[0]).toMatchObject({ code: 'WordsMissing', loc: { file: 'content/jempas-ii.fr.md', line: 1 } })
    expect(failures[0].errors[0].message).toBe('theme mpf has no blurb of the programme "mpf" in fr')
    expect(failures[0].errors[0].hint).toContain(path.join('templates', 'mpf', 'programmes', 'mpf.fr.md'))
  })

  it('tells a file name that is a translation from one that is not', () => {
    expect(translationName('jempas-ii.fr')).toEqual({ of: 'jempas-ii', lang: 'fr' })
    expect(translationName('jempas-ii.pt-br')).toEqual({ of: 'jempas-ii', lang: 'pt-BR' })
    expect(translationName('jempas-ii.qq')).toBeUndefined()
    expect(translationName('jempas-ii')).toBeUndefined()
  })

  it('reports stale translations, those without translated_from, and the languages a record lacks', () => {
    const record = validate({ 'jempas-ii.md': JEMPAS }).records[0]
    const hash = recordTextHash(record.fields, record.body)
    const files = {
      'jempas-ii.md': JEMPAS,
      'jempas-ii.fr.md': translation(`translated_from: ${hash}\ntitle: Titre`),
      'jempas-ii.ar.md': translation('translated_from: 0123456789ab\ntitle: عنوان'),
      'other.md': JEMPAS.replace('title: Capacity', 'title: Other'),
      'other.es.md': translation('title: Otro'),
    }
    const { records } = validate(files)
    const warnings = translationWarnings(records, ['en', 'fr', 'ar'])
    expect(warnings.map((w) => w.file)).toEqual(['content/jempas-ii.ar.md:2', 'content/other.es.md', 'content/other.md', 'content/other.md'])
    expect(warnings[0].message).toContain(`now ${hash}`)
    expect(warnings[1].message).toMatch(/^has no translated_from: whether it is up to date with content\/other\.md cannot be told \(when it matches the record, add translated_from: [0-9a-f]{12}\)$/)
    expect(warnings[2].message).toBe('has no French translation (content/other.fr.md): npm run new:sheet -- other --translate fr')
  })

  it('writes a skeleton that validates as an up-to-date translation', () => {
    const record = validate({ 'jempas-ii.md': JEMPAS }).records[0] as SheetRecord
    const skeleton = translationSkeleton(record, 'fr', 'content/jempas-ii.md')
    const { records, failures } = validate({ 'jempas-ii.md': JEMPAS, 'jempas-ii.fr.md': skeleton })
    expect(failures).toEqual([])
    expect(translationWarnings(records, ['fr'])).toEqual([])
    expect(skeleton).toContain(record.body.trim().slice(0, 80))
  })
})
