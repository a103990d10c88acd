/** Donor bundles: the sample records built with the real command, then an AMIF bundle merged from their PDFs and read back. */
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureBrowser, launchBrowser } from '../../src/print/browser.ts'
import { writeBundle, type BundleResult } from '../../src/bundle/bundle.ts'
import type { BundleDefinition } from '../../src/bundle/where.ts'
import { isSheetError, type SheetError } from '../../src/core/errors.ts'
import { formatMoney } from '../../src/core/format.ts'
import { openPrinter, type Printer } from '../../src/print/page-pool.ts'
import { loadTheme, type Theme } from '../../src/theme/theme.ts'
import { readManifest, type Manifest, type ManifestEntry } from '../../src/output/manifest.ts'
import { pdfFonts, pdfInfo } from '../helpers/pdf.ts'
import { tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

const DATE = new Date('2026-11-29T09:30:00Z')
const CREATOR = 'factsheets-test 1.0.0'
const AMIF: BundleDefinition = { name: 'donor-amif', where: { fund: ['AMIF'] } }

/** A page's text in content order (pdftotext -raw), whitespace folded. */
const pageText = (file: string, page: number) =>
  execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
const text = (value: PDFString | PDFHexString | unknown) => (value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined)

describe('a donor bundle of the sample records', () => {
  let project: TempProject
  let manifest: Manifest
  let theme: Theme
  let printer: Printer
  let result: BundleResult
  let doc: PDFDocument
  /** The AMIF sheets in bundle order (by title), each with the bundle page it starts on. */
  let expected: (ManifestEntry & { start: number })[]
  let front: number
  const write = (definition: BundleDefinition) =>
    writeBundle({ outDir: project.out, manifest, definition, theme, print: (html) => printer.print(html, { timeoutMs: 30_000 }), date: DATE, creator: CREATOR })
  /** The 1-based bundle page a destination array points at. */
  const pageOf = (dest: PDFArray | undefined) => doc.getPages().findIndex((page) => page.ref === dest?.get(0)) + 1

  beforeAll(async () => {
    project = tempProject()
    const build = await runCli(['build'], { cwd: project.dir })
    expect(build.code, build.stderr).toBe(0)
    manifest = (await readManifest(project.out))!
    theme = loadTheme(project.templates, 'mpf', project.dir)
    const { executablePath } = await ensureBrowser()
    printer = await openPrinter({ launch: () => launchBrowser(executablePath), shared: false }, 1)
    result = await write(AMIF)
    doc = await PDFDocument.load(readFileSync(result.file), { updateMetadata: false })
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
    const amif = manifest.sheets.filter((sheet) => sheet.facts.funds.includes('AMIF')).sort((a, b) => collator.compare(a.facts.title, b.facts.title))
    front = doc.getPageCount() - amif.reduce((sum, sheet) => sum + sheet.pages, 0)
    let next = front + 1
    expected = amif.map((sheet) => ({ ...sheet, start: (next += sheet.pages) - sheet.pages }))
  })
  afterAll(async () => {
    await printer?.close()
    project?.remove()
  })

  it('holds the AMIF sheets only, and writes out/bundles/<name>.pdf', () => {
    expect(expected.length).toBeGreaterThan(1)
    expect(expected.length).toBeLessThan(manifest.sheets.length)
    expect(result).toEqual({ file: path.join(project.out, 'bundles', 'donor-amif.pdf'), sheets: expected.length, pages: doc.getPageCount(), skipped: false, warnings: [] })
    expect(Number(pdfInfo(result.file).Pages)).toBe(result.pages)
  })

  it('has as many pages as the cover and contents plus every sheet, each sheet page copied as built', () => {
    expect(front).toBeGreaterThanOrEqual(2)
    expect(pageText(result.file, 1)).toContain('Projects funded by AMIF')
    expect(pageText(result.file, 2)).toMatch(/^Contents|\bContents\b/)
    for (const sheet of expected) {
      const own = path.join(project.out, `${sheet.id}.pdf`)
      for (let page = 1; page <= sheet.pages; page++) expect(pageText(result.file, sheet.start + page - 1)).toBe(pageText(own, page))
    }
  })

  it('lists each sheet in the contents with its status and the page it starts on', () => {
    const contents = Array.from({ length: front - 1 }, (_, i) => pageText(result.file, i + 2)).join(' ')
    const at = expected.map((sheet) => contents.indexOf(sheet.facts.title))
    expect(
      at.every((index, i) => index >= 0 && (i === 0 || index > at[i - 1])),
      contents,
    ).toBe(true)
    expected.forEach((sheet, i) => {
      const line = contents.slice(at[i], at[i + 1])
      const label = sheet.facts.statusLabel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      expect(new RegExp(`${label} (\\d+)`).exec(line)?.[1], line).toBe(String(sheet.start))
    })
  })

  it('links each contents line to the first page of its sheet, with no bundle.invalid link left', () => {
    const links = doc
      .getPages()
      .slice(0, front)
      .flatMap(
        (page) =>
          page.node
            .Annots()
            ?.asArray()
            .map((ref) => doc.context.lookup(ref, PDFDict)) ?? [],
      )
      .filter((annot) => annot.get(PDFName.of('Subtype')) === PDFName.of('Link'))
    expect(links).toHaveLength(expected.length)
    links.forEach((link, i) => {
      expect(pageOf(link.lookupMaybe(PDFName.of('Dest'), PDFArray))).toBe(expected[i].start)
      expect(link.get(PDFName.of('A'))).toBeUndefined()
      expect(text(link.lookup(PDFName.of('Contents')))).toBe(`${expected[i].facts.title}, page ${expected[i].start}`)
    })
    expect(readFileSync(result.file).includes('bundle.invalid')).toBe(false)
  })

  it('has one bookmark per sheet, titled and pointing at its first page, after "Contents"', () => {
    const outlines = doc.catalog.lookup(PDFName.of('Outlines'), PDFDict)
    const top: { title?: string; page: number }[] = []
    for (let ref = outlines.get(PDFName.of('First')); ref instanceof PDFRef;) {
      const item = doc.context.lookup(ref, PDFDict)
      top.push({ title: text(item.lookup(PDFName.of('Title'))), page: pageOf(item.lookupMaybe(PDFName.of('Dest'), PDFArray)) })
      ref = item.get(PDFName.of('Next'))
    }
    expect(top).toEqual([{ title: 'Contents', page: 2 }, ...expected.map((sheet) => ({ title: sheet.facts.title, page: sheet.start }))])
  })

  it('shows on the cover the date, the number of projects and the exact total per currency', () => {
    const cover = pageText(result.file, 1)
    expect(cover).toContain('29 November 2026')
    expect(cover).toMatch(new RegExp(`Projects ${expected.length}\\b`))
    const totals = new Map<string, bigint>()
    for (const total of expected.flatMap((sheet) => sheet.facts.totals)) totals.set(total.currency, (totals.get(total.currency) ?? 0n) + BigInt(total.minor))
    expect(totals.size).toBeGreaterThan(1)
    for (const [currency, minor] of totals) expect(cover).toContain(formatMoney(minor, currency, 'en').replace(/\u00a0/g, ' '))
    expect(cover).toContain('EUR 4,883,212.40')
    // The footer band prints too (margin boxes print only with fonts the page itself loaded).
    for (const mark of theme.tokens.marks) expect(cover).toContain(mark.text)
  })

  it("joins the sheets' tags: every page and link keeps its own entry in one parent tree", () => {
    const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict)
    const nums = root.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'), PDFArray).asArray()
    const keys = nums.filter((_, i) => i % 2 === 0).map(String)
    const used = doc
      .getPages()
      .flatMap((page) => [
        String(page.node.get(PDFName.of('StructParents'))),
        ...(page.node.Annots()?.asArray() ?? []).map((ref) => String(doc.context.lookup(ref, PDFDict).get(PDFName.of('StructParent')))),
      ])
    expect(new Set(used).size).toBe(used.length)
    expect(
      used.every((key) => keys.includes(key)),
      `${used} in ${keys}`,
    ).toBe(true)
  })

  it('carries the metadata, the tags, and embedded fonts only', () => {
    const info = pdfInfo(result.file)
    expect(info).toMatchObject({ Title: 'Projects funded by AMIF', Author: theme.tokens.name, Creator: CREATOR, Producer: CREATOR, Tagged: 'yes' })
    expect(info.CreationDate).toMatch(/Nov 29 09:30:00 2026 UTC/)
    expect(text(doc.catalog.lookup(PDFName.of('Lang')))).toBe('en')
    const fonts = pdfFonts(result.file)
    expect(fonts.length).toBeGreaterThan(0)
    expect(fonts.filter((font) => !font.embedded)).toEqual([])
  })

  it('skips a bundle whose inputs did not change, leaving the file byte for byte', async () => {
    const before = readFileSync(result.file)
    const mtime = statSync(result.file).mtimeMs
    const again = await write(AMIF)
    expect(again).toEqual({ ...result, skipped: true })
    expect(readFileSync(result.file).equals(before)).toBe(true)
    expect(statSync(result.file).mtimeMs).toBe(mtime)
    const retitled = await write({ ...AMIF, title: 'AMIF portfolio' })
    expect(retitled.skipped).toBe(false)
    expect(pdfInfo(result.file).Title).toBe('AMIF portfolio')
  })

  it('refuses a filter that matches no sheet, listing the funds that exist', async () => {
    const error = (await write({ name: 'nothing', where: { fund: ['XYZ'] } }).catch((cause: unknown) => cause)) as SheetError
    expect(isSheetError(error)).toBe(true)
    expect(error.code).toBe('UsageError')
    expect(error.message).toBe('no sheet matches fund=XYZ')
    expect(error.hint).toMatch(/funds that exist: .*AMIF.*BMVI/)
  })
})
