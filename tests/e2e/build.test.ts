import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { PDFDocument, PDFDict, PDFName, PDFString, PDFHexString } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFlatText, pdfFonts, pdfInfo } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

/** Every fact of the seed page (shared/seed/jempas-ii-project-page.txt) as it must read in the PDF. */
const JEMPAS_FACTS = [
  'Capacity Building for Migration Management',
  'Support to the Mobility Partnership between the EU and Jordan (JEMPAS II)',
  'Project completed',
  'About the Project',
  'This action aimed to build on the achievements of JEMPAS I',
  'Hashemite Kingdom of Jordan',
  'Partners',
  'This MPF project was implemented by ICMPD on behalf of Jordan.',
  'International Centre for Migration Policy Development (ICMPD)',
  'Countries',
  'EU countries, Jordan',
  'Time frame',
  'February 2020 - October 2021',
  'Budget',
  'EUR 189,403.21 (from AMIF)',
  'EUR 206,308.69 (from ISF-Police)',
  'Total: EUR 395,711.90',
  'Activities',
  'Strengthening the EU-Jordan Cooperation Framework on Migration',
  '“Enhancing Jordanian-European Partnership on Migration”',
  'Peer exchanges between Jordanian officials and participating EU MS',
  'Refugee Affairs Coordination Office (RACO)',
  'European Asylum Support Office (EASO) training programme',
  'Combating Trafficking in Human Beings',
  'National Technical Committee on Combating Trafficking in Human Beings',
  'The Migration Partnership Facility',
  'Through its grants, the MPF allows the execution of projects',
  'Funded by the European Union',
  'Contracted by ICMPD',
  'Page 1 of 1',
]

describe('build:sheets on the sample records', () => {
  let project: TempProject
  let first: RunResult
  let pdf: string

  beforeAll(async () => {
    project = tempProject()
    first = await runCli(['--html'], { cwd: project.dir })
    pdf = path.join(project.out, 'jempas-ii.pdf')
  })
  afterAll(() => project.remove())

  it('builds every record and exits 0 with a summary line', () => {
    expect(first.stderr).not.toMatch(/error/i)
    expect(first.code).toBe(0)
    const records = readdirSync(project.content).filter((name) => name.endsWith('.md'))
    expect(first.stdout).toMatch(new RegExp(`^Built ${records.length} sheets, in \\d+\\.\\d\\d s \\(\\d+\\.\\d\\d s each\\)\\.$`, 'm'))
    for (const name of records) expect(existsSync(path.join(project.out, name.replace(/\.md$/, '.pdf')))).toBe(true)
  })

  it('puts every fact of the JEMPAS II seed into its PDF', () => {
    const text = pdfFlatText(pdf)
    for (const fact of JEMPAS_FACTS) expect(text, fact).toContain(fact)
  })

  it('fits JEMPAS II on at most two A4 pages, tagged, with the record as metadata', () => {
    const info = pdfInfo(pdf)
    expect(Number(info.Pages)).toBeLessThanOrEqual(2)
    expect(info['Page size']).toMatch(/595\.\d* x 841\.\d* pts \(A4\)|594\.96 x 841\.92 pts \(A4\)/)
    expect(info.Title).toBe('Capacity Building for Migration Management')
    expect(info.Subject).toBe('Support to the Mobility Partnership between the EU and Jordan (JEMPAS II)')
    expect(info.Author).toBe('ICMPD')
    expect(info.Keywords).toBe('EU countries, Jordan, AMIF, ISF-Police, Project completed')
    expect(info.Creator).toMatch(/^factsheets \d+\.\d+\.\d+$/)
    expect(info.Tagged).toBe('yes')
  })

  it('embeds its own fonts and no other', () => {
    const fonts = pdfFonts(pdf)
    expect(fonts.length).toBeGreaterThan(0)
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true)
      expect(font.name, 'a font from the theme, not the machine').toMatch(/\+(SourceSans3|SourceSerif4)/)
    }
  })

  it('sets the document language and bookmarks from the headings', async () => {
    const doc = await PDFDocument.load(readFileSync(pdf))
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(en)')
    const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict)
    const titles: string[] = []
    const walk = (item: PDFDict | undefined) => {
      for (let node = item; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
        const title = node.lookup(PDFName.of('Title'))
        if (title instanceof PDFString || title instanceof PDFHexString) titles.push(title.decodeText())
        walk(node.lookupMaybe(PDFName.of('First'), PDFDict))
      }
    }
    walk(outlines.lookupMaybe(PDFName.of('First'), PDFDict))
    expect(titles).toEqual(
      expect.arrayContaining([
        'Capacity Building for Migration Management',
        'About the Project',
        'Activities',
        'Combating Trafficking in Human Beings',
        'The Migration Partnership Facility',
      ]),
    )
  })

  it('writes a manifest whose sizes and hashes match the files', () => {
    const manifest = JSON.parse(readFileSync(path.join(project.out, 'manifest.json'), 'utf8'))
    const entry = manifest.sheets.find((sheet: { id: string }) => sheet.id === 'jempas-ii')
    expect(entry).toMatchObject({ id: 'jempas-ii', source: 'content/jempas-ii.md', pdf: 'out/jempas-ii.pdf', pages: Number(pdfInfo(pdf).Pages) })
    const bytes = readFileSync(pdf)
    expect(entry.bytes).toBe(bytes.length)
    expect(entry.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('writes a self-contained HTML file with --html: no scripts, nothing loaded from elsewhere', () => {
    const html = readFileSync(path.join(project.out, 'jempas-ii.html'), 'utf8')
    expect(html).toContain('<h1 class="title">Capacity Building for Migration Management</h1>')
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/i)
  })

  it('prints non-ASCII names and every currency of the other samples', () => {
    const all = readdirSync(project.out)
      .filter((name) => name.endsWith('.pdf'))
      .map((name) => pdfFlatText(path.join(project.out, name)))
      .join('\n')
    for (const name of ['Türkiye', 'Côte d’Ivoire']) expect(all.replace(/'/g, '’')).toContain(name)
    // A currency with one line prints the line only: a "Total" equal to it says nothing.
    expect(all).toMatch(/(USD|CHF) [\d,]+\.\d\d \(from /)
    expect(all).not.toMatch(/Total: CHF/)
  })

  it('skips sheets whose inputs did not change, and --force rebuilds them byte for byte', async () => {
    const before = readFileSync(pdf)
    const again = await runCli([], { cwd: project.dir })
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Built 0 sheets, \d+ up to date, in/m)
    const forced = await runCli(['--force', '--only', 'jempas-ii'], { cwd: project.dir })
    expect(forced.code).toBe(0)
    expect(forced.stdout).toMatch(/^Built 1 sheet, in/m)
    expect(readFileSync(pdf).equals(before)).toBe(true)
  })

  it('says February 2020 in every time zone', async () => {
    const out = path.join(project.dir, 'out-la')
    const result = await runCli(['--only', 'jempas-ii', '--out', out], { cwd: project.dir, env: { TZ: 'America/Los_Angeles' } })
    expect(result.code).toBe(0)
    expect(pdfFlatText(path.join(out, 'jempas-ii.pdf'))).toContain('February 2020 - October 2021')
  })

  it('#14 prints a sheet to the same bytes on a page that held other sheets (body swapped) as on a fresh page', async () => {
    // One page prints every sheet in turn: after the first, only the body is replaced where the head is the same.
    const all = await runCli(['--force', '--concurrency', '1', '--out', 'out-shared-page'], { cwd: project.dir })
    expect(all.code).toBe(0)
    const ids = (JSON.parse(readFileSync(path.join(project.dir, 'out-shared-page', 'manifest.json'), 'utf8')) as { sheets: { id: string }[] }).sheets.map((s) => s.id)
    expect(ids.length).toBeGreaterThanOrEqual(5)
    const alone = ids.filter((id) => !id.includes('.')).slice(1, 4)
    for (const id of alone) {
      const one = await runCli(['--force', '--only', id, '--out', `out-alone-${id}`], { cwd: project.dir })
      expect(one.code).toBe(0)
      const shared = readFileSync(path.join(project.dir, 'out-shared-page', `${id}.pdf`))
      expect(readFileSync(path.join(project.dir, `out-alone-${id}`, `${id}.pdf`)).equals(shared), id).toBe(true)
    }
  }, 120_000)

  it("#14 numbers a table's tagged header cells the same whatever the page printed before (Chromium counts DOM nodes)", async () => {
    // The horizon theme tags header cells with ids that data cells point at; Chromium takes them from its node counter.
    const all = await runCli(['--force', '--theme', 'horizon', '--concurrency', '1', '--out', 'out-ids-shared'], { cwd: project.dir })
    expect(all.code).toBe(0)
    const id = 'asylum-capacity-long'
    const alone = await runCli(['--force', '--theme', 'horizon', '--only', id, '--out', 'out-ids-alone'], { cwd: project.dir })
    expect(alone.code).toBe(0)
    const shared = readFileSync(path.join(project.dir, 'out-ids-shared', `${id}.pdf`))
    const ids = [...new Set(shared.toString('latin1').match(/\(node\d+\)/g))].sort()
    expect(ids.length, 'the sheet has tagged header cells').toBeGreaterThan(0)
    expect(ids).toEqual(ids.map((_, i) => `(node${String(i + 1).padStart(8, '0')})`))
    expect(readFileSync(path.join(project.dir, 'out-ids-alone', `${id}.pdf`)).equals(shared)).toBe(true)
  }, 120_000)

  it('#6 gives byte-identical PDFs for the same inputs, dated by SOURCE_DATE_EPOCH when set', async () => {
    const env = { SOURCE_DATE_EPOCH: '1700000000' }
    const a = await runCli(['--only', 'jempas-ii', '--out', 'out-a'], { cwd: project.dir, env })
    const b = await runCli(['--only', 'jempas-ii', '--out', 'out-b'], { cwd: project.dir, env })
    expect([a.code, b.code]).toEqual([0, 0])
    const first = readFileSync(path.join(project.dir, 'out-a', 'jempas-ii.pdf'))
    expect(first.equals(readFileSync(path.join(project.dir, 'out-b', 'jempas-ii.pdf')))).toBe(true)
    expect(pdfInfo(path.join(project.dir, 'out-a', 'jempas-ii.pdf')).CreationDate).toMatch(/Nov 14 22:13:20 2023 UTC/)
  })
})
