import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PDFDocument, PDFName, PDFString } from 'pdf-lib'
import { buildBundleModel, renderBundleHtml, SHEET_LINK } from '../../src/bundle/front.ts'
import { mergeBundle } from '../../src/bundle/pages.ts'
import { writeBundle } from '../../src/bundle/bundle.ts'
import { loadBundleFile } from '../../src/bundle/file.ts'
import { bundleTitle, describeWhere, parseWhere, selectSheets, type Where } from '../../src/bundle/where.ts'
import { SheetError } from '../../src/core/errors.ts'
import type { SheetFacts } from '../../src/sheet/model.ts'
import { loadTheme, type Theme } from '../../src/theme/theme.ts'
import type { Manifest, ManifestEntry } from '../../src/output/manifest.ts'

const templatesDir = path.resolve(import.meta.dirname, '..', '..', 'templates')

/** A manifest entry with the facts of JEMPAS II, some replaced. */
function entry(id: string, facts: Partial<SheetFacts> = {}): ManifestEntry {
  return {
    ...{ id, source: `content/${id}.md`, pdf: `out/${id}.pdf`, bytes: 1000, pages: 2, sha256: '0'.repeat(64), inputHash: '1'.repeat(64) },
    ...{ sourceHash: '2'.repeat(64), theme: 'mpf', themeHash: '3'.repeat(64), defaultTheme: 'mpf' },
    ...{ fitted: true, fit: { step: 0, stepName: 'none', prints: 1, balanced: false, lastPage: 1 } },
    facts: {
      ...{ title: 'Capacity Building for Migration Management', subtitle: null, status: 'completed', statusLabel: 'Project completed', programme: 'mpf' },
      ...{ implementer: 'ICMPD', beneficiary: 'Jordan', countries: ['EU countries', 'Jordan'], period: 'February 2020 - October 2021' },
      ...{ start: '2020-02', end: '2021-10', funds: ['AMIF', 'ISF-Police'], lang: 'en' },
      totals: [{ currency: 'EUR', minor: '39571190', amount: 'EUR 395,711.90' }],
      lines: [
        { fund: 'AMIF', currency: 'EUR', minor: '18940321' },
        { fund: 'ISF-Police', currency: 'EUR', minor: '20630869' },
      ],
      ...facts,
    },
  }
}

const MANIFEST: Manifest = {
  generator: 'factsheets 0.1.0',
  sheets: [
    entry('jempas-ii'),
    entry('borders', {
      title: 'Border Data in West Africa',
      status: 'planned',
      statusLabel: 'Project planned',
      funds: ['BMVI'],
      countries: ['Ghana', 'Türkiye'],
      programme: null,
    }),
    entry('morocco', {
      title: 'Pathways for Labour Mobility',
      status: 'ongoing',
      statusLabel: 'Project ongoing',
      funds: ['AMIF', 'NDICI'],
      countries: ['Morocco', 'Spain'],
    }),
    entry('asylum', {
      title: 'asylum Capacities in the Western Balkans',
      status: 'ongoing',
      statusLabel: 'Project ongoing',
      funds: ['AMIF'],
      countries: ['Albania'],
    }),
  ],
}

const ids = (where: Where) => selectSheets(MANIFEST, where).map((sheet) => sheet.id)

/** What a promise rejects with. */
const rejection = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected an error')
    },
    (cause: unknown) => cause as SheetError,
  )

/** What a call throws. */
function thrown(work: () => unknown): SheetError {
  try {
    work()
  } catch (error) {
    expect(error).toBeInstanceOf(SheetError)
    return error as SheetError
  }
  throw new Error('expected an error')
}

describe('parseWhere', () => {
  it('reads key=value filters, with commas and repeated keys as alternatives', () => {
    expect(parseWhere(['fund=AMIF', 'country=Jordan', 'status=completed,ongoing'])).toEqual({
      fund: ['AMIF'],
      country: ['Jordan'],
      status: ['completed', 'ongoing'],
    })
    expect(parseWhere(['fund=AMIF', 'fund=BMVI, AMIF', 'Programme=mpf', 'status=Completed'])).toEqual({
      fund: ['AMIF', 'BMVI'],
      programme: ['mpf'],
      status: ['completed'],
    })
    expect(parseWhere([])).toEqual({})
    expect(describeWhere(parseWhere(['status=ongoing', 'fund=AMIF,BMVI']))).toBe('fund=AMIF,BMVI status=ongoing')
  })

  it('refuses a filter without "=", with an example', () => {
    const error = thrown(() => parseWhere(['AMIF']))
    expect(error.code).toBe('UsageError')
    expect(error.message).toBe('"AMIF" is not a filter: expected key=value')
    expect(error.hint).toContain('fund=AMIF')
  })

  it('refuses an unknown key, and suggests the closest', () => {
    const error = thrown(() => parseWhere(['countries=Jordan']))
    expect(error.code).toBe('UsageError')
    expect(error.message).toBe('unknown filter "countries" in "countries=Jordan" (expected one of fund, country, status, programme, lang)')
    expect(error.hint).toBe('did you mean country=Jordan?')
    expect(thrown(() => parseWhere(['colour=red'])).hint).toContain('such as fund=AMIF')
  })

  it('refuses an empty value and an unknown status', () => {
    expect(thrown(() => parseWhere(['fund=', 'x'])).message).toBe('the filter "fund=" has no value')
    const status = thrown(() => parseWhere(['status=complete']))
    expect(status.message).toBe('status=complete: expected planned, ongoing, completed')
    expect(status.hint).toBe('did you mean status=completed?')
  })
})

describe('selectSheets', () => {
  it('ORs the values of a key and ANDs the keys, ignoring case', () => {
    expect(ids({ fund: ['amif'] })).toEqual(['asylum', 'jempas-ii', 'morocco'])
    expect(ids({ fund: ['AMIF', 'bmvi'] })).toEqual(['asylum', 'borders', 'jempas-ii', 'morocco'])
    expect(ids({ fund: ['AMIF'], status: ['ongoing'] })).toEqual(['asylum', 'morocco'])
    expect(ids({ fund: ['AMIF'], country: ['JORDAN', 'spain'] })).toEqual(['jempas-ii', 'morocco'])
    expect(ids({ country: ['türkiye'] })).toEqual(['borders'])
    expect(ids({ programme: ['MPF'], status: ['planned'] })).toEqual([])
  })

  it('sorts by title whatever the case, and takes every sheet with facts for an empty filter', () => {
    const manifest = { ...MANIFEST, sheets: [...MANIFEST.sheets, { ...entry('old'), facts: undefined as unknown as SheetFacts }] }
    expect(selectSheets(manifest, {}).map((sheet) => sheet.facts.title)).toEqual([
      'asylum Capacities in the Western Balkans',
      'Border Data in West Africa',
      'Capacity Building for Migration Management',
      'Pathways for Labour Mobility',
    ])
    expect(selectSheets(manifest, { fund: [] })).toHaveLength(4)
  })

  it('#9 --where country=Cote d\'Ivoire finds "Côte d\'Ivoire", as the catalogue does (accents and curly apostrophes folded)', () => {
    const manifest = {
      ...MANIFEST,
      sheets: [...MANIFEST.sheets, entry('abidjan', { countries: ["Côte d'Ivoire"] }), entry('curly', { countries: ['Côte d\u2019Ivoire'] })],
    }
    const where = parseWhere(["country=Cote d'Ivoire"])
    expect(selectSheets(manifest, where).map((sheet) => sheet.id)).toEqual(['abidjan', 'curly'])
    expect(bundleTitle(where, selectSheets(manifest, where), {} as Theme)).toBe("Projects in Côte d'Ivoire")
  })
})

describe('bundleTitle', () => {
  const theme = { programmes: new Map([['mpf', { short: 'MPF' }]]) } as unknown as Theme
  const title = (where: Where) => bundleTitle(where, selectSheets(MANIFEST, where), theme)

  it('words the filter, spelling values as the sheets do', () => {
    expect(title({ fund: ['amif'] })).toBe('Projects funded by AMIF')
    expect(title({ status: ['ongoing', 'completed'], programme: ['mpf'], country: ['jordan', 'Spain'], fund: ['AMIF'] })).toBe(
      'Ongoing or completed MPF projects in Jordan or Spain funded by AMIF',
    )
    expect(title({})).toBe('All projects')
  })
})

describe('writeBundle before anything is printed', () => {
  const args = { outDir: os.tmpdir(), manifest: MANIFEST, theme: {} as Theme, date: new Date(), creator: 'test' }
  const print = () => Promise.reject(new Error('nothing may be printed'))

  it('refuses a filter that matches nothing, listing the values that exist', async () => {
    const error = await rejection(writeBundle({ ...args, print, definition: { name: 'x', where: { fund: ['AMIFF'] } } }))
    expect(error).toBeInstanceOf(SheetError)
    expect(error.code).toBe('UsageError')
    expect(error.message).toBe('no sheet matches fund=AMIFF')
    expect(error.hint).toBe('did you mean fund=AMIF? funds that exist: AMIF, BMVI, ISF-Police, NDICI')
    const two = await rejection(writeBundle({ ...args, print, definition: { name: 'x', where: { country: ['Ghana'], status: ['ongoing'] } } }))
    expect(two.hint).toContain(
      'countries that exist: Albania, EU countries, Ghana, Jordan, Morocco, Spain, Türkiye; statuses that exist: completed, ongoing, planned',
    )
  })

  it('refuses a name that is not lowercase letters, digits and hyphens', async () => {
    for (const name of ['Donor AMIF', '../x', '', 'a_b']) {
      const error = await rejection(writeBundle({ ...args, print, definition: { name, where: {} } }))
      expect(error.code, name).toBe('UsageError')
    }
  })
})

describe('loadBundleFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-test-'))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const file = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text)
    return path.join(dir, name)
  }
  const error = (text: string) => thrown(() => loadBundleFile(file('b.yaml', text), dir))

  it('reads named bundles from YAML and JSON', () => {
    const yaml = file(
      'ok.yaml',
      'bundles:\n  - name: donor-amif\n    title: AMIF portfolio\n    where: { fund: [AMIF], status: "completed, Ongoing" }\n  - name: all\n',
    )
    expect(loadBundleFile(yaml, dir)).toEqual([
      { name: 'donor-amif', title: 'AMIF portfolio', where: { fund: ['AMIF'], status: ['completed', 'ongoing'] } },
      { name: 'all', where: {} },
    ])
    const json = file('ok.json', JSON.stringify({ bundles: [{ name: 'jordan', where: { country: 'Jordan', fund: ['AMIF', 'BMVI'] } }] }))
    expect(loadBundleFile(json, dir)).toEqual([{ name: 'jordan', where: { country: ['Jordan'], fund: ['AMIF', 'BMVI'] } }])
  })

  it('names the file, line and field of an unknown filter, with a suggestion', () => {
    const e = error('bundles:\n  - name: a\n    where:\n      fund: [AMIF]\n      countries: [Jordan]\n')
    expect(e).toMatchObject({ code: 'ConfigInvalid', field: 'bundles[0].where.countries', hint: 'did you mean "country"?' })
    expect(e.message).toBe('is not a field of a filter (expected one of fund, country, status, programme, lang)')
    expect(e.loc).toEqual({ file: 'b.yaml', line: 5 })
    expect(thrown(() => loadBundleFile(path.join(dir, 'b.yaml'), os.tmpdir())).loc?.file).toBe(path.join(path.basename(dir), 'b.yaml'))
  })

  it('names the line of a bad name, a bad status, a duplicate name and a missing one', () => {
    expect(error('bundles:\n  - name: ok\n  - name: Donor AMIF\n')).toMatchObject({ field: 'bundles[1].name', loc: { line: 3 } })
    expect(error('bundles:\n  - name: ok\n  - name: Donor AMIF\n').message).toMatch(
      /^expected a bundle name of lowercase letters, digits and hyphens \(got "Donor AMIF"\)/,
    )
    const status = error('bundles:\n  - name: a\n    where:\n      status: [completed, finished]\n')
    expect(status).toMatchObject({ field: 'bundles[0].where.status[1]', loc: { line: 4 } })
    expect(status.message).toBe('expected planned, ongoing, completed (got "finished")')
    const twice = error('bundles:\n  - name: a\n  - name: b\n  - name: a\n')
    expect(twice).toMatchObject({ message: 'the bundle name "a" is already used by bundles[0]', field: 'bundles[2].name', loc: { line: 4 } })
    expect(error('bundles:\n  - title: No name\n')).toMatchObject({
      message: 'is required: expected a bundle name (got nothing)',
      field: 'bundles[0].name',
      loc: { line: 2 },
    })
  })

  it('names the line of a syntax error, and refuses an empty list, a stray key and a missing file', () => {
    expect(error('bundles:\n  - name: a\n    where: { fund: [AMIF }\n')).toMatchObject({ code: 'ConfigInvalid', loc: { line: 3 } })
    expect(error('bundles: []\n')).toMatchObject({ message: 'expected at least one bundle (got an empty list)', field: 'bundles' })
    expect(error('bundle:\n  - name: a\n')).toMatchObject({ field: 'bundle', hint: 'did you mean "bundles"?', loc: { line: 1 } })
    expect(thrown(() => loadBundleFile(path.join(dir, 'none.yaml'), dir))).toMatchObject({ code: 'ConfigInvalid', hint: 'check the path given to --bundles' })
  })
})

describe('the cover and contents HTML', () => {
  const theme = loadTheme(templatesDir, 'mpf', process.cwd())
  const sheets = selectSheets(MANIFEST, { fund: ['AMIF'] }).map((sheet, i) =>
    i === 0 ? entry(sheet.id, { ...sheet.facts, title: '<b>{{title}}</b> & co' }) : sheet,
  )
  const model = buildBundleModel({ title: 'Projects funded by AMIF', date: new Date('2026-11-29T23:30:00Z'), sheets, starts: [3, 5, 7], theme })

  it('sums the totals per currency exactly and words the date in UTC', () => {
    const twoCurrencies = [
      entry('a', { lines: [{ fund: 'AMIF', currency: 'EUR', minor: '10' }] }),
      entry('b', {
        lines: [
          { fund: 'AMIF', currency: 'JPY', minor: '5' },
          { fund: 'BMVI', currency: 'EUR', minor: '20' },
        ],
      }),
    ]
    const sums = buildBundleModel({ title: 't', date: new Date(0), sheets: twoCurrencies, starts: [3, 5], theme }).totals
    expect(sums.map((total) => [total.currency, total.minor, total.amount.replace(/\u00a0/g, ' ')])).toEqual([
      ['EUR', '30', 'EUR 0.30'],
      ['JPY', '5', 'JPY 5'],
    ])
    expect(model).toMatchObject({
      date: '29 November 2026',
      dateIso: '2026-11-29',
      projects: 3,
      projectsText: '3 projects',
      statuses: [
        { key: 'ongoing', count: 2 },
        { key: 'completed', count: 1 },
      ],
    })
  })

  it('#12 shows the filtered fund\'s share first and the total of all funds second, labelled, the most used currency first', () => {
    const projects = [
      entry('a', { lines: [{ fund: 'AMIF', currency: 'CHF', minor: '50000' }, { fund: 'AMIF', currency: 'EUR', minor: '100' }] }),
      entry('b', { lines: [{ fund: 'amif', currency: 'EUR', minor: '20' }, { fund: 'ISF-Police', currency: 'EUR', minor: '7' }] }),
      entry('c', { lines: [{ fund: 'BMVI', currency: 'EUR', minor: '1' }, { fund: null, currency: 'CHF', minor: '3' }] }),
    ]
    const cover = buildBundleModel({ title: 't', date: new Date(0), sheets: projects, starts: [3, 5, 7], theme, where: { fund: ['AMIF'] } })
    const plain = (totals: { amount: string }[]) => totals.map((total) => total.amount.replace(/\u00a0/g, ' '))
    expect(cover.share?.label).toBe('AMIF share')
    expect(plain(cover.share?.totals ?? [])).toEqual(['EUR 1.20', 'CHF 500.00'])
    expect(cover.total.label).toBe('Total budget of the projects, all funds')
    expect(plain(cover.total.totals)).toEqual(['EUR 1.28', 'CHF 500.03'])
    expect(cover.chart?.currencies.map((group) => group.currency)).toEqual(['EUR', 'CHF'])
    const unfiltered = buildBundleModel({ title: 't', date: new Date(0), sheets: projects, starts: [3, 5, 7], theme, where: { status: ['completed'] } })
    expect(unfiltered.share).toBeNull()
    expect(unfiltered.total.label).toBe('Total budget')
  })

  it("prints the theme's bundle.hbs with escaped record text and a sheet link per entry", () => {
    const html = renderBundleHtml(model, theme)
    expect(html).toContain('&lt;b&gt;{{title}}&lt;/b&gt; &amp; co')
    expect(html).not.toContain('<b>{{title}}')
    for (const sheet of sheets) expect(html).toContain(`href="${SHEET_LINK}${sheet.id}"`)
    expect(html).toContain('class="bundle-hero"')
    // Numbered like every sheet: the cover and contents count their own pages.
    expect(html).toContain('"Page " counter(page) " of " counter(pages)')
  })

  it('falls back to a built-in template for a theme without bundle.hbs', () => {
    const html = renderBundleHtml(model, { ...theme, templates: new Map() })
    expect(html).not.toContain('class="bundle-hero"')
    expect(html).toContain('Projects funded by AMIF')
    for (const sheet of sheets) expect(html).toContain(`href="${SHEET_LINK}${sheet.id}"`)
  })
})

describe('mergeBundle', () => {
  it('#9 refuses a contents link to a sheet the bundle does not hold with a TemplateError, not a plain Error', async () => {
    const front = await PDFDocument.create()
    const page = front.addPage()
    const link = front.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10], A: { S: 'URI', URI: PDFString.of(`${SHEET_LINK}elsewhere`) } })
    page.node.set(PDFName.of('Annots'), front.context.obj([front.context.register(link)]))
    const info = { title: 't', subject: 's', author: 'a', keywords: [], creator: 'test', date: new Date(0), lang: 'en', documentId: '0'.repeat(64) }
    const error = await rejection(mergeBundle(front, [], info))
    expect(error).toBeInstanceOf(SheetError)
    expect(error).toMatchObject({
      code: 'TemplateError',
      message: `the bundle template links to ${SHEET_LINK}elsewhere, but the sheet "elsewhere" is not in the bundle`,
    })
    expect(error.hint).toContain('{{href}}')
  })
})
