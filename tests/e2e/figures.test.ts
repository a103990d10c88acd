/** #12 Maps and money at a glance: the locator map and budget chart read back from real PDFs, and the AMIF bundle's cover. */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfFigures, pdfFlatText } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

const NOWHERE = `---
title: Regional Dialogue on Labour Migration
status: ongoing
implementer: ICMPD
countries: [neighbouring countries in the region]
period:
  start: 2024-01
budget:
  - { amount: 50000.00, currency: EUR, fund: AMIF }
---

A dialogue.
`

const WESTERN_BALKANS = `---
title: Asylum Data in the Western Balkans
status: planned
implementer: ICMPD
countries: [Western Balkans, Malta]
period:
  start: 2027-01
budget:
  - { amount: 1000.00, currency: EUR, fund: BMVI }
---

Data.
`

const plain = (text: string) => text.replace(/\u00a0/g, ' ')

describe('#12 the locator map and the budget chart', () => {
  let project: TempProject
  const pdf = (id: string, out = project.out) => path.join(out, `${id}.pdf`)

  beforeAll(async () => {
    project = tempProject()
    project.write('content/regional-dialogue.md', NOWHERE)
    project.write('content/wb-asylum-data.md', WESTERN_BALKANS)
    const build = await runCli(['build', '--bundle', 'donor-amif', '--where', 'fund=AMIF'], { cwd: project.dir })
    expect(build.code, build.stderr).toBe(0)
    const horizon = await runCli(['build', '--theme', 'horizon', '--out', 'out-horizon', '--only', 'jempas-ii'], { cwd: project.dir })
    expect(horizon.code, horizon.stderr).toBe(0)
  })
  afterAll(() => project?.remove())

  it('tags the map and the chart as Figures whose alt text names the countries and every fund and amount', async () => {
    const figures = (await pdfFigures(pdf('jempas-ii'))).map(plain)
    expect(figures).toContain('Map: EU countries and Jordan')
    expect(figures).toContain('Budget by fund: AMIF EUR 189,403.21, ISF-Police EUR 206,308.69')
  })

  it('keeps the chart amounts as text', () => {
    const text = plain(pdfFlatText(pdf('jempas-ii')))
    expect(text).toContain('EUR 189,403.21 (from AMIF)')
    expect(text).toContain('EUR 206,308.69 (from ISF-Police)')
  })

  it('places both in the horizon theme too', async () => {
    const figures = (await pdfFigures(pdf('jempas-ii', path.join(project.dir, 'out-horizon')))).map(plain)
    expect(figures).toEqual(expect.arrayContaining(['Map: EU countries and Jordan', 'Budget by fund: AMIF EUR 189,403.21, ISF-Police EUR 206,308.69']))
    // The sidebar's lines interleave with the main column's in pdftotext's order: look for each piece.
    const text = plain(pdfFlatText(pdf('jempas-ii', path.join(project.dir, 'out-horizon'))))
    for (const piece of ['Budget by fund', 'AMIF EUR 189,403.21', 'ISF-Police EUR 206,308.69']) expect(text).toContain(piece)
  })

  it('draws no map for a record with no place and no chart for a single budget line, without an error', async () => {
    const figures = await pdfFigures(pdf('regional-dialogue'))
    expect(figures.filter((alt) => alt.startsWith('Map:') || alt.startsWith('Budget by fund'))).toEqual([])
  })

  it('draws a group as its members, with a small country beside it', async () => {
    expect(await pdfFigures(pdf('wb-asylum-data'))).toContain('Map: Western Balkans and Malta')
  })

  it("shows the AMIF share first and the projects' total second on the AMIF bundle's cover, labelled", async () => {
    const bundle = path.join(project.out, 'bundles', 'donor-amif.pdf')
    const cover = plain(execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', '1', '-l', '1', bundle, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '))
    // The sample AMIF lines: 189,403.21 + 412,750.00 + 1,248,500.00 + 1,875,000.00 + the dialogue's 50,000.00.
    expect(cover).toMatch(/AMIF share EUR 3,775,653\.21 .*Total budget of the projects, all funds EUR 4,933,212\.40 CHF 185,000\.00/)
    const figures = (await pdfFigures(bundle)).map(plain)
    expect(figures.some((alt) => alt.startsWith('Map: EU countries, Jordan, Georgia'))).toBe(true)
    expect(figures.some((alt) => alt.startsWith('Budget by fund: AMIF EUR 3,775,653.21'))).toBe(true)
  })

  it('bundles a stale sheet (its record failed in this build) only with a warning that names it', async () => {
    project.write('content/jempas-ii.md', '---\ntitle: Broken\n---\n')
    const build = await runCli(['build', '--bundle', 'donor-amif', '--where', 'fund=AMIF'], { cwd: project.dir })
    expect(build.code).toBe(1)
    expect(build.stdout + build.stderr).toMatch(/the bundle "donor-amif" holds jempas-ii\.pdf from the last build: its record failed in this build, so that sheet is stale/)
  })
})
