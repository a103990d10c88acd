import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { renderCatalogue, renderCsv, writeCatalogue } from '../../src/output/catalogue.ts'
import type { SheetFacts } from '../../src/sheet/model.ts'
import { adoptManifestBytes, manifestBytes, prepareManifestEntry, type Manifest, type ManifestEntry } from '../../src/output/manifest.ts'

const GENERATED = new Date('2025-11-29T10:00:00Z')

/** A manifest entry with the facts of JEMPAS II, some replaced. */
function entry(id: string, facts: Partial<SheetFacts> = {}, pages = 2): ManifestEntry {
  return {
    id,
    source: `content/${id}.md`,
    pdf: `out/${id}.pdf`,
    bytes: 1000,
    pages,
    sha256: '0'.repeat(64),
    inputHash: '1'.repeat(64),
    sourceHash: '2'.repeat(64),
    theme: 'mpf',
    themeHash: '3'.repeat(64),
    defaultTheme: 'mpf',
    fitted: true,
    fit: { step: 0, stepName: 'none', prints: 1, balanced: false, lastPage: 1 },
    facts: {
      title: 'Capacity Building for Migration Management',
      subtitle: 'Support to the Mobility Partnership between the EU and Jordan (JEMPAS II)',
      status: 'completed',
      statusLabel: 'Project completed',
      programme: 'mpf',
      implementer: 'ICMPD',
      beneficiary: 'Jordan',
      countries: ['EU countries', 'Jordan'],
      period: 'February 2020 - October 2021',
      start: '2020-02',
      end: '2021-10',
      funds: ['AMIF', 'ISF-Police'],
      totals: [{ currency: 'EUR', minor: '39571190', amount: 'EUR 395,711.90' }],
      lines: [
        { fund: 'AMIF', currency: 'EUR', minor: '18940321' },
        { fund: 'ISF-Police', currency: 'EUR', minor: '20630869' },
      ],
      lang: 'en',
      ...facts,
    },
  }
}

const manifest = (...sheets: ManifestEntry[]): Manifest => ({ generator: 'factsheets 0.1.0', sheets })

const SAMPLE = manifest(
  entry('jempas-ii'),
  entry('west-africa', {
    title: 'Regional Border Data Interoperability in West Africa',
    subtitle: null,
    status: 'planned',
    statusLabel: 'Project planned',
    beneficiary: null,
    countries: ["Côte d'Ivoire", 'São Tomé and Príncipe', 'Türkiye'],
    period: 'From January 2027',
    start: '2027-01',
    end: null,
    funds: ['BMVI'],
    totals: [{ currency: 'EUR', minor: '276000000', amount: 'EUR 2,760,000.00' }],
  }),
  entry('diaspora', {
    title: 'Diaspora Skills, "Return" and\nReintegration',
    programme: null,
    countries: ['Georgia', 'Switzerland'],
    funds: ['AMIF', 'SEM co-financing'],
    totals: [
      { currency: 'EUR', minor: '41275000', amount: 'EUR 412,750.00' },
      { currency: 'CHF', minor: '5', amount: 'CHF 0.05' },
      { currency: 'JPY', minor: '1234567890123456789', amount: 'JPY 1,234,567,890,123,456,789' },
    ],
  }),
  entry('formulas', {
    title: '=HYPERLINK("http://evil.example","Click")',
    subtitle: '+1 234',
    implementer: '-2+3',
    beneficiary: '@SUM(A1:A9)',
    programme: '\tindented',
    countries: ['\rCarriage'],
  }),
)

/** Reads the CSV back with a real parser: strict CRLF records, the BOM understood, one object per row. */
function readCsv(text: string): Record<string, string>[] {
  return parse(text, { bom: true, columns: true, record_delimiter: '\r\n', relax_column_count: false, skip_empty_lines: false })
}

describe('renderCsv', () => {
  const text = renderCsv(SAMPLE)
  const rows = readCsv(text)
  const row = (id: string) => rows.find((r) => r.id === id)!

  it('starts with a byte order mark and ends every line with CRLF', () => {
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.endsWith('\r\n')).toBe(true)
    // A bare LF only inside the quoted title that holds a newline.
    expect(text.replace(/\r\n/g, '').match(/\n/g)).toHaveLength(1)
    expect(text.split('\r\n')[0]).toBe(
      '\uFEFFid,title,subtitle,status,programme,implementer,beneficiary,countries,start,end,period,funds,lang,total_CHF,total_EUR,total_JPY,pages,pdf',
    )
  })

  it('has one row per sheet, sorted by title, and every field reads back as written', () => {
    // "=" sorts before letters.
    expect(rows.map((r) => r.id)).toEqual(['formulas', 'jempas-ii', 'diaspora', 'west-africa'])
    expect(row('jempas-ii')).toEqual({
      id: 'jempas-ii',
      title: 'Capacity Building for Migration Management',
      subtitle: 'Support to the Mobility Partnership between the EU and Jordan (JEMPAS II)',
      status: 'completed',
      programme: 'mpf',
      implementer: 'ICMPD',
      beneficiary: 'Jordan',
      countries: 'EU countries; Jordan',
      start: '2020-02',
      end: '2021-10',
      period: 'February 2020 - October 2021',
      funds: 'AMIF; ISF-Police',
      lang: 'en',
      total_CHF: '',
      total_EUR: '395711.90',
      total_JPY: '',
      pages: '2',
      pdf: 'jempas-ii.pdf',
    })
  })

  it('keeps accents', () => {
    expect(row('west-africa').countries).toBe("Côte d'Ivoire; São Tomé and Príncipe; Türkiye")
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
  })

  it('quotes commas, quotes and newlines (quotes doubled) and leaves empty values empty', () => {
    expect(row('diaspora').title).toBe('Diaspora Skills, "Return" and\nReintegration')
    expect(text).toContain('"Diaspora Skills, ""Return"" and\nReintegration"')
    expect(row('diaspora').programme).toBe('')
    expect(row('west-africa').subtitle).toBe('')
    expect(row('west-africa').end).toBe('')
  })

  it('writes each currency total exactly, in its own decimals', () => {
    expect(row('diaspora')).toMatchObject({ total_EUR: '412750.00', total_CHF: '0.05', total_JPY: '1234567890123456789' })
    expect(row('west-africa')).toMatchObject({ total_EUR: '2760000.00', total_CHF: '', total_JPY: '' })
  })

  it('neutralises spreadsheet formulas with a leading apostrophe', () => {
    expect(row('formulas')).toMatchObject({
      title: `'=HYPERLINK("http://evil.example","Click")`,
      subtitle: "'+1 234",
      implementer: "'-2+3",
      beneficiary: "'@SUM(A1:A9)",
      programme: "'\tindented",
      countries: "'\rCarriage",
    })
    for (const r of rows) for (const value of Object.values(r)) expect(value).not.toMatch(/^[=+\-@\t\r]/)
  })

  it('has only a header for an empty manifest', () => {
    expect(readCsv(renderCsv(manifest()))).toEqual([])
  })
})

describe('renderCatalogue', () => {
  const html = renderCatalogue(SAMPLE, { generated: GENERATED })

  it('escapes record text: a <script> title stays text', () => {
    const evil = renderCatalogue(manifest(entry('x', { title: '<script>alert(1)</script>', implementer: '"><img src=x onerror=alert(2)>' })), {
      generated: GENERATED,
      title: 'Sheets <b>',
    })
    expect(evil).not.toContain('<script>alert(1)')
    expect(evil).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(evil).not.toContain('<img')
    expect(evil).toContain('<title>Sheets &#60;b&#62;</title>')
    // The one script is the page's own.
    expect(evil.match(/<script>/g)).toHaveLength(1)
  })

  it('links each title to its PDF by a relative name, ids URL-encoded', () => {
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((match) => match[1])
    expect(hrefs.filter((href) => href.endsWith('.pdf')).sort()).toEqual(['diaspora.pdf', 'formulas.pdf', 'jempas-ii.pdf', 'west-africa.pdf'])
    expect(hrefs).toContain('sheets.csv')
    const odd = renderCatalogue(manifest(entry('../a b')), { generated: GENERATED })
    expect(odd).toContain('href="..%2Fa%20b.pdf"')
  })

  it('lists every sheet sorted by title, with its key facts', () => {
    const links = [...html.matchAll(/<th scope="row"[^>]*><a href="([^"]*)">([^<]*)<\/a>/g)].map((match) => [match[1], match[2]])
    expect(links).toEqual([
      ['formulas.pdf', '=HYPERLINK(&#34;http://evil.example&#34;,&#34;Click&#34;)'],
      ['jempas-ii.pdf', 'Capacity Building for Migration Management'],
      ['diaspora.pdf', 'Diaspora Skills, &#34;Return&#34; and\nReintegration'],
      ['west-africa.pdf', 'Regional Border Data Interoperability in West Africa'],
    ])
    for (const fact of ['Project completed', 'Project planned', 'EU countries, Jordan', 'EUR 395,711.90', 'CHF 0.05', 'ISF-Police', 'ICMPD'])
      expect(html).toContain(fact)
    expect(html).toContain('4 of 4 projects')
    // A month keeps its year on its line: the period wraps at the dash only.
    expect(html).toContain('>February\u00a02020 - October\u00a02021<')
  })

  it('is self-contained and accessible', () => {
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/)
    const plain = renderCatalogue(manifest(entry('jempas-ii')), { generated: GENERATED })
    expect(plain).not.toMatch(/\ssrc=|url\(|@import|<link|https?:\/\//)
    expect(html).toMatch(/<caption[^>]*>[^<]+<\/caption>/)
    expect(html.match(/<th scope="col"/g)).toHaveLength(9)
    expect(html).toContain('<label for="filter">')
    expect(html).toContain('<input type="search" id="filter"')
    expect(html).toMatch(/<fieldset[^>]*><legend>Status<\/legend>/)
    for (const status of ['completed', 'planned']) expect(html).toContain(`value="${status}"`)
    expect(html).not.toContain('value="ongoing"')
  })

  it('folds accents and case in the text the filter searches', () => {
    const row = html.split('\n').find((line) => line.includes('data-search') && line.includes('west-africa'))!
    expect(row).toMatch(/data-search="[^"]*c[o]te d&#39;ivoire[^"]*sao tome and principe[^"]*turkiye/)
  })
})

describe('writeCatalogue', () => {
  it('writes index.html and sheets.csv into the output folder, and nothing else', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'catalogue-'))
    try {
      await writeCatalogue(dir, SAMPLE, GENERATED)
      expect(readdirSync(dir).sort()).toEqual(['index.html', 'sheets.csv'])
      expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toBe(renderCatalogue(SAMPLE, { generated: GENERATED }))
      expect(readFileSync(path.join(dir, 'sheets.csv'), 'utf8')).toBe(renderCsv(SAMPLE))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('out/manifest.json', () => {
  // Each sheet's text is made once (ahead, while the browser prints): the file must be JSON.stringify's, byte for byte.
  it('is the manifest as JSON.stringify indents it, sheets sorted by id, whatever the text holds', () => {
    const odd = entry('a-odd', { title: 'Line\nbreak "quoted" \\ back, tab\t, \u2028 and عربي', countries: [], totals: [] })
    const sheets = [entry('c-third'), odd, entry('b-second', { subtitle: null, end: null })]
    const whole = manifest(...sheets)
    sheets.slice(1).forEach(prepareManifestEntry)
    const expected = `${JSON.stringify({ ...whole, sheets: [...sheets].sort((x, y) => (x.id < y.id ? -1 : 1)) }, null, 2)}\n`
    expect(manifestBytes(whole).toString('utf8')).toBe(expected)
    expect(manifestBytes(whole).equals(Buffer.from(expected))).toBe(true)
    expect(manifestBytes(manifest()).toString('utf8')).toBe(`${JSON.stringify(manifest(), null, 2)}\n`)
  })

  it("takes the kept sheets' text from the last build's own bytes, and nothing from bytes that do not split into them", () => {
    const odd = entry('a-odd', { title: 'A }, and {\n    }, in a title', countries: [], totals: [] })
    const long = entry(`b-${'second-'.repeat(12)}sheet`)
    const bytes = manifestBytes(manifest(odd, long, entry('c-third')))
    const read = JSON.parse(bytes.toString('utf8')) as Manifest
    adoptManifestBytes(read, bytes)
    expect(manifestBytes(read).equals(bytes)).toBe(true)
    // Taken, not written again: an entry changed after reading keeps the text it was read with (entries never change).
    read.sheets[1]!.pages = 99
    expect(manifestBytes(read).equals(bytes)).toBe(true)
    // One sheet fewer than the bytes hold: nothing is taken, and the manifest is written from its entries.
    const fewer = JSON.parse(bytes.toString('utf8')) as Manifest
    fewer.sheets.pop()
    adoptManifestBytes(fewer, bytes)
    expect(manifestBytes(fewer).toString('utf8')).toBe(`${JSON.stringify(fewer, null, 2)}\n`)
  })
})
