import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRecordText } from '../../src/record/load.ts'
import { buildModel, fill, type SheetModel } from '../../src/sheet/model.ts'
import { renderHtml } from '../../src/sheet/render-html.ts'
import { loadTheme, type Theme } from '../../src/theme/theme.ts'
import { validateRecord, type SheetRecord } from '../../src/record/validate.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Intl separates the currency code from the number with a no-break space; compare with a plain one. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ')

const FIELDS: Record<string, string | undefined> = {
  title: 'Capacity Building for Migration Management',
  status: 'completed',
  programme: 'mpf',
  implementer: 'ICMPD',
  beneficiary: 'Jordan',
  countries: '[EU countries, Jordan]',
  period: '{ start: 2020-02, end: 2021-10 }',
  budget: '\n  - { amount: 189403.21, currency: EUR, fund: AMIF }\n  - { amount: 206308.69, currency: EUR, fund: ISF-Police }',
}

const DEFAULT_BODY = 'This action built on the achievements of JEMPAS I.\n\n## Activities\n\nTraining and peer exchanges.\n'

/** The text of a record file: the default fields with some replaced (or left out with undefined), and a body. */
function recordText(overrides: Record<string, string | undefined> = {}, body = DEFAULT_BODY): string {
  const fields = { ...FIELDS, ...overrides }
  const lines = Object.entries(fields).flatMap(([key, value]) => (value === undefined ? [] : [`${key}:${value.startsWith('\n') ? '' : ' '}${value}`]))
  return ['---', ...lines, '---', '', body].join('\n')
}

/** Parses and validates a record as the pipeline does; fails the test with the errors if it is not valid. */
function sheetRecord(text: string, id = 'sample'): SheetRecord {
  const result = validateRecord(parseRecordText(text, `content/${id}.md`, path.join(root, 'content', `${id}.md`)))
  if (Array.isArray(result)) throw new Error(`the test record is not valid:\n${result.map((e) => `${e.field}: ${e.message}`).join('\n')}`)
  return result
}

let theme: Theme
beforeAll(() => {
  theme = loadTheme(path.join(root, 'templates'), 'mpf', root)
})

const model = (overrides: Record<string, string | undefined> = {}, body?: string): SheetModel => buildModel(sheetRecord(recordText(overrides, body)), theme)

describe('partners sentence', () => {
  it('names the programme, the implementer and the beneficiary in the past for a completed project', () => {
    expect(model().partners).toBe('This MPF project was implemented by ICMPD on behalf of Jordan.')
  })

  it("says 'is implemented' for an ongoing project", () => {
    expect(model({ status: 'ongoing' }).partners).toBe('This MPF project is implemented by ICMPD on behalf of Jordan.')
  })

  it("says 'will be implemented' for a planned project", () => {
    expect(model({ status: 'planned', period: '{ start: 2027-01 }' }).partners).toBe('This MPF project will be implemented by ICMPD on behalf of Jordan.')
  })

  it("says 'This project' with a single space when the record names no programme", () => {
    const sheet = model({ programme: undefined })
    expect(sheet.partners).toBe('This project was implemented by ICMPD on behalf of Jordan.')
    expect(sheet.programme).toBeNull()
  })

  it("leaves out 'on behalf of' when the record names no beneficiary", () => {
    const sheet = model({ beneficiary: undefined })
    expect(sheet.partners).toBe('This MPF project was implemented by ICMPD.')
    expect(sheet.beneficiary).toBeNull()
  })

  it('prints braces in the implementer and beneficiary as they are, never as placeholders', () => {
    expect(model({ implementer: '"{programme} Ltd"', beneficiary: '"{implementer}"' }).partners).toBe(
      'This MPF project was implemented by {programme} Ltd on behalf of {implementer}.',
    )
  })
})

describe('period text', () => {
  it("gives 'February 2020 - October 2021' for a start and an end", () => {
    expect(model().period).toBe('February 2020 - October 2021')
  })

  it('gives months only for dates written with a day', () => {
    expect(model({ period: '{ start: 2020-02-15, end: 2021-10-31 }' }).period).toBe('February 2020 - October 2021')
  })

  it("gives 'Since March 2023' for an ongoing project without an end", () => {
    expect(model({ status: 'ongoing', period: '{ start: 2023-03 }' }).period).toBe('Since March 2023')
  })

  it("gives 'From January 2027' for a planned project without an end", () => {
    expect(model({ status: 'planned', period: '{ start: 2027-01 }' }).period).toBe('From January 2027')
  })

  it('gives the range for an ongoing project that has an end', () => {
    expect(model({ status: 'ongoing', period: '{ start: 2023-03, end: 2026-02 }' }).period).toBe('March 2023 - February 2026')
  })
})

describe('budget', () => {
  it("writes a line with a fund as 'EUR 189,403.21 (from AMIF)'", () => {
    const line = model().budget.lines[0]
    expect(plain(line.text)).toBe('EUR 189,403.21 (from AMIF)')
    expect(plain(line.amount)).toBe('EUR 189,403.21')
    expect(line.currency).toBe('EUR')
    expect(line.fund).toBe('AMIF')
  })

  it('writes a line without a fund as the amount alone, with fund null', () => {
    const line = model({ budget: '\n  - { amount: 1000, currency: EUR }' }).budget.lines[0]
    expect(plain(line.text)).toBe('EUR 1,000.00')
    expect(line.fund).toBeNull()
  })

  it('sums the lines of one currency exactly into one total', () => {
    const { budget } = model()
    expect(budget.totals.map((total) => ({ ...total, amount: plain(total.amount), text: plain(total.text) }))).toEqual([
      { currency: 'EUR', minor: '39571190', amount: 'EUR 395,711.90', text: 'Total: EUR 395,711.90' },
    ])
    expect(budget.showTotals).toBe(true)
  })

  it('gives one total per currency when the lines use two currencies', () => {
    const { budget } = model({
      budget:
        '\n  - { amount: 100.10, currency: EUR, fund: AMIF }\n  - { amount: 50, currency: USD, fund: BMP }\n  - { amount: 200.20, currency: EUR }\n  - { amount: 25.5, currency: USD }',
    })
    expect(budget.lines.map((line) => plain(line.text))).toEqual(['EUR 100.10 (from AMIF)', 'USD 50.00 (from BMP)', 'EUR 200.20', 'USD 25.50'])
    expect(budget.totals.map((total) => [total.currency, plain(total.amount)])).toEqual([
      ['EUR', 'EUR 300.30'],
      ['USD', 'USD 75.50'],
    ])
    expect(budget.showTotals).toBe(true)
  })

  it('does not show totals for a single budget line', () => {
    const { budget, facts } = model({ budget: '\n  - { amount: 189403.21, currency: EUR, fund: AMIF }' })
    expect(budget.lines).toHaveLength(1)
    expect(budget.totals).toHaveLength(0)
    expect(budget.showTotals).toBe(false)
    expect(facts.totals).toHaveLength(1)
  })

  it('writes a fund containing {amount} literally', () => {
    const line = model({ budget: '\n  - { amount: 5, currency: EUR, fund: "{amount}" }' }).budget.lines[0]
    expect(plain(line.text)).toBe('EUR 5.00 (from {amount})')
  })
})

describe('status', () => {
  it.each([
    ['planned', '{ start: 2027-01 }', 'Project planned'],
    ['ongoing', '{ start: 2023-03 }', 'Project ongoing'],
    ['completed', '{ start: 2020-02, end: 2021-10 }', 'Project completed'],
  ])('labels a %s project with the theme word', (status, period, label) => {
    expect(model({ status, period }).status).toEqual({ key: status, label })
  })
})

describe('record text is never a template', () => {
  it('keeps {{title}} in the record title literal in the model and in the HTML', () => {
    const sheet = model({ title: '"{{title}} and {{{lead}}}"' })
    expect(sheet.title).toBe('{{title}} and {{{lead}}}')
    const html = renderHtml(sheet, theme)
    expect(html).toContain('<h1 class="title">{{title}} and {{{lead}}}</h1>')
  })

  it('keeps {{...}} in the body literal in the lead and the sections', () => {
    const sheet = model({}, 'Lead with {{title}} in it.\n\n## Heading {{x}}\n\nText with {{#each countries}}x{{/each}}.\n')
    expect(sheet.lead).toContain('{{title}}')
    expect(sheet.sections).toContain('{{x}}')
    expect(sheet.sections).toContain('{{#each countries}}x{{/each}}')
    const html = renderHtml(sheet, theme)
    expect(html).toContain('Lead with {{title}} in it.')
    expect(html).toContain('{{#each countries}}x{{/each}}')
  })

  it('escapes HTML in the title when the template prints it', () => {
    const html = renderHtml(model({ title: '"<b>Bold</b> & more"' }), theme)
    expect(html).toContain('<h1 class="title">&lt;b&gt;Bold&lt;/b&gt; &amp; more</h1>')
  })
})

describe('lead and sections', () => {
  it('splits the body at its first heading: the text before is the lead, the rest the sections', () => {
    const sheet = model({}, 'First paragraph.\n\nSecond paragraph.\n\n## Activities\n\nTraining.\n\n## Results\n\nMore.\n')
    expect(sheet.lead).toBe('<p>First paragraph.</p>\n<p>Second paragraph.</p>\n')
    expect(sheet.sections.startsWith('<h2>Activities</h2>')).toBe(true)
    expect(sheet.sections).toContain('<h2>Results</h2>')
    expect(sheet.lead).not.toContain('Activities')
  })

  it('puts the whole body in the lead when it has no heading', () => {
    const sheet = model({}, 'Only a paragraph.\n')
    expect(sheet.lead).toBe('<p>Only a paragraph.</p>\n')
    expect(sheet.sections).toBe('')
  })

  it('gives an empty lead when the body starts with a heading', () => {
    const sheet = model({}, '## Activities\n\nTraining.\n')
    expect(sheet.lead).toBe('')
    expect(sheet.sections).toBe('<h2>Activities</h2>\n<p>Training.</p>\n')
  })
})

describe('other model fields', () => {
  it('lists the countries in words and fills the keywords, the programme and the theme images', () => {
    const sheet = model()
    expect(sheet.id).toBe('sample')
    expect(sheet.lang).toBe('en')
    expect(sheet.countriesText).toBe('EU countries, Jordan')
    expect(sheet.keywords).toBe('EU countries, Jordan, AMIF, ISF-Police, Project completed')
    expect(sheet.programme?.short).toBe('MPF')
    expect(sheet.logo?.src.startsWith('data:image/svg+xml;base64,')).toBe(true)
    expect(sheet.marks.map((mark) => mark.text)).toEqual(['Funded by the European Union', 'Contracted by ICMPD'])
    expect(sheet.subtitle).toBeNull()
    expect(sheet.warnings).toEqual([])
  })
})

describe('fill', () => {
  it('replaces known placeholders', () => {
    expect(fill('{amount} (from {fund})', { amount: 'EUR 5.00', fund: 'AMIF' })).toBe('EUR 5.00 (from AMIF)')
  })

  it('leaves unknown placeholders as they are', () => {
    expect(fill('{known} and {unknown}', { known: 'yes' })).toBe('yes and {unknown}')
  })

  it('never expands placeholders that appear inside values', () => {
    expect(fill('{a}-{b}', { a: '{b}', b: 'B' })).toBe('{b}-B')
    expect(fill('{start}', { start: '{start}{start}' })).toBe('{start}{start}')
  })

  it('closes up the double space an empty value leaves', () => {
    expect(fill('This {programme} project', { programme: '' })).toBe('This project')
  })
})

describe('known bug (fails until fill in src/model.ts is fixed)', () => {
  it('leaves placeholders named like Object.prototype members ({constructor}, {toString}) as they are', () => {
    // fill tests `key in values`, which is true for inherited names, so a theme word such as "{toString}" prints
    // "function toString() { [native code] }" instead of staying an unknown placeholder. Object.hasOwn would not.
    expect(fill('{constructor} and {toString} and {__proto__}', { amount: 'EUR 5.00' })).toBe('{constructor} and {toString} and {__proto__}')
  })
})
