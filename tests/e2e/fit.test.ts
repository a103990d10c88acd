/** Copy-fitting end to end: sheets printed at the step that fits the theme's page budget, balanced, or refused. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lastPageShare, pdfFlatText, pdfInfo, pdfXmp } from '../helpers/pdf.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

const MPF_MARGIN = { topMm: 14, bottomMm: 22 }
const JEMPAS = readFileSync(path.join(ROOT, 'content', 'jempas-ii.md'), 'utf8').replace(/^id: .*\n/m, '')
const EXTRA = (n: number) =>
  `\n### Extra activity ${n}\n\nThe partners held a further round of technical meetings with the ministry and its agencies, reviewed the draft procedures line by line, and agreed on the next steps for the roll-out of the new case management system across the regional offices.\n`
/** JEMPAS II with `n` more activity paragraphs. */
const longer = (n: number) => JEMPAS + Array.from({ length: n }, (_, i) => EXTRA(i + 1)).join('')

interface Entry {
  id: string
  pages: number
  fitted: boolean
  fit: { step: number; stepName: string; prints: number; balanced: boolean; lastPage: number }
}

describe('fitting sheets to the page budget', () => {
  let project: TempProject
  let build: RunResult
  const entries = () => new Map((JSON.parse(readFileSync(path.join(project.out, 'manifest.json'), 'utf8')).sheets as Entry[]).map((e) => [e.id, e]))
  const pdf = (id: string) => path.join(project.out, `${id}.pdf`)

  beforeAll(async () => {
    project = tempProject({ from: null })
    project.write('content/over-a-little.md', JEMPAS) // the flagship record: runs ~10% past page one at step 0
    project.write('content/over-a-third.md', longer(3)) // beyond what the ladder can pull back: two pages
    project.write('content/over-much.md', longer(9))
    build = await runCli(['build'], { cwd: project.dir, env: { SOURCE_DATE_EPOCH: '1700000000' } })
  }, 120_000)
  afterAll(() => project.remove())

  it('prints a record that overflows by a few lines on one page, at a named step of the ladder', () => {
    expect(build.code).toBe(0)
    const entry = entries().get('over-a-little')!
    expect(Number(pdfInfo(pdf('over-a-little')).Pages)).toBe(1)
    expect(entry).toMatchObject({ pages: 1, fitted: true })
    expect(entry.fit.step).toBeGreaterThan(0)
    expect(entry.fit.stepName).not.toBe('none')
    // Nothing was lost on the way: the last activity and the programme box are on the page.
    expect(pdfFlatText(pdf('over-a-little'))).toContain('national strategy and action plan to prevent trafficking in human beings')
    expect(pdfFlatText(pdf('over-a-little'))).toContain('The Migration Partnership Facility')
  })

  it('gives a two-page sheet a last page that carries a real share, measured from the words on it', () => {
    for (const id of ['over-a-third', 'over-much']) {
      expect(Number(pdfInfo(pdf(id)).Pages)).toBe(2)
      expect(lastPageShare(pdf(id), MPF_MARGIN)).toBeGreaterThan(0.3)
    }
    // Left alone, over-a-third would print a quarter-full last page: the break was moved.
    expect(entries().get('over-a-third')!.fit).toMatchObject({ step: 0, balanced: true })
  })

  it('writes the step, the page count, the record id and the theme into the XMP metadata', () => {
    const xmp = pdfXmp(pdf('over-a-little'))
    const entry = entries().get('over-a-little')!
    expect(xmp).toContain('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Capacity Building for Migration Management</rdf:li>')
    expect(xmp).toContain('<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>')
    expect(xmp).toContain('<fs:RecordId>over-a-little</fs:RecordId>')
    expect(xmp).toContain(`<fs:FitStep>${entry.fit.step}</fs:FitStep>`)
    expect(xmp).toContain(`<fs:FitStepName>${entry.fit.stepName}</fs:FitStepName>`)
    expect(xmp).toContain('<fs:Pages>1</fs:Pages>')
    expect(xmp).toMatch(/<fs:Theme>mpf<\/fs:Theme>\s*<fs:ThemeVersion>[\d.]+<\/fs:ThemeVersion>/)
    expect(xmp).toMatch(/<fs:InputHash>[0-9a-f]{64}<\/fs:InputHash>/)
  })

  it('fits deterministically: a second build gives the same step and the same bytes', async () => {
    const before = readFileSync(pdf('over-a-little'))
    const again = await runCli(['build', '--force', '--only', 'over-a-little,over-a-third'], { cwd: project.dir, env: { SOURCE_DATE_EPOCH: '1700000000' } })
    expect(again.code).toBe(0)
    expect(readFileSync(pdf('over-a-little')).equals(before)).toBe(true)
  }, 60_000)

  it('prints step 0 only with --no-fit, and fits again on the next build', async () => {
    const plain = await runCli(['build', '--no-fit', '--only', 'over-a-little'], { cwd: project.dir })
    expect(plain.code).toBe(0)
    expect(entries().get('over-a-little')).toMatchObject({ pages: 2, fitted: false, fit: { step: 0 } })
    expect(Number(pdfInfo(pdf('over-a-little')).Pages)).toBe(2)
    const fitted = await runCli(['build', '--only', 'over-a-little'], { cwd: project.dir })
    expect(fitted.stdout).toMatch(/Built 1 sheet/)
    expect(entries().get('over-a-little')).toMatchObject({ pages: 1, fitted: true })
  }, 60_000)

  it('warns when no break can give the last page its share', async () => {
    project.write('templates/nobreaks/theme.json', JSON.stringify({ extends: 'mpf', name: 'No breaks', pages: { breaks: [] } }))
    const built = await runCli(['build', '--only', 'over-a-third', '--theme', 'nobreaks', '--out', 'proof'], { cwd: project.dir })
    expect(built.code).toBe(0)
    expect(built.stderr).toMatch(/content\/over-a-third\.md: preflight: the last page carries only \d+% of a page \(the theme asks for 30%\).*\[near-empty-last-page\]/)
  }, 60_000)

  it('fails a record over the theme budget with its code and page count, and keeps its previous PDF', async () => {
    const previous = readFileSync(pdf('over-much'))
    project.write('content/over-much.md', longer(40))
    const over = await runCli(['build'], { cwd: project.dir })
    expect(over.code).toBe(1)
    expect(over.stderr).toMatch(/^content\/over-much\.md: the sheet runs to [3-9] pages, more than the theme's budget of 2, even at the tightest step of its fit ladder$/m)
    expect(over.stderr).toMatch(/hint: shorten the record's text, or raise pages\.max in the theme's theme\.json {3}\[PageBudget\]/)
    expect(readFileSync(pdf('over-much')).equals(previous)).toBe(true)
    const warned = await runCli(['build', '--preflight', 'warn'], { cwd: project.dir })
    expect(warned.code).toBe(0)
    expect(warned.stderr).toMatch(/content\/over-much\.md: .*more than the theme's budget of 2.*printed anyway: --preflight warn/)
  }, 120_000)
})
