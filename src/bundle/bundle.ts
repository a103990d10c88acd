/** Donor bundles: one PDF per donor with a cover, a table of contents and the sheets, merged from the sheets' own PDFs. */
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { BUNDLE_CSS, buildBundleModel, renderBundleHtml } from './front.ts'
import { mergeBundle } from './pages.ts'
import { PDF_LOAD } from '../print/pdf-meta.ts'
import { bundleTitle, describeWhere, noMatchError, selectSheets, WHERE_KEYS, type Where } from './where.ts'
import { SheetError } from '../core/errors.ts'
import { ID_PATTERN } from '../record/schema.ts'
import type { Theme } from '../theme/theme.ts'
import { outputPath, sha256, writeFileAtomic, type Manifest, type ManifestEntry } from '../output/write.ts'

export { loadBundleFile } from './file.ts'
export { describeWhere, parseWhere, selectSheets, WHERE_KEYS, type Where } from './where.ts'

/** A named bundle: `name` (lowercase letters, digits, hyphens) gives out/bundles/<name>.pdf; `title` defaults to one built from `where`. */
export interface BundleDefinition {
  name: string
  title?: string
  where: Where
}

/** What writeBundle did: the bundle's absolute path, its sheets and pages, and whether it was already up to date. */
export interface BundleResult {
  file: string
  sheets: number
  pages: number
  skipped: boolean
}

/**
 * Writes out/bundles/<name>.pdf: a cover (title, date, number of projects, total budget per currency, the theme's logo)
 * and a table of contents with a link to each sheet's first page, printed as one HTML document with `print`, then the
 * sheets' PDFs from outDir/<id>.pdf, merged with pdf-lib (never printed again), with bookmarks and metadata. Skipped when
 * the sidecar out/bundles/<name>.json holds the same input hash (the definition, each sheet's id, PDF hash and facts, the
 * theme's CSS and files, `creator`); the date alone does not rebuild a bundle. Throws SheetError UsageError for a bad
 * name, a filter that matches no sheet (with the values that exist), or a sheet whose PDF is missing.
 */
export async function writeBundle(args: {
  outDir: string
  manifest: Manifest
  definition: BundleDefinition
  theme: Theme
  print: (html: string) => Promise<Uint8Array>
  date: Date
  creator: string
}): Promise<BundleResult> {
  const { outDir, definition, theme } = args
  if (!ID_PATTERN.test(definition.name)) {
    throw usage(`the bundle name "${definition.name}" is not lowercase letters, digits and hyphens`, 'it names the file out/bundles/<name>.pdf: try donor-amif')
  }
  const sheets = selectSheets(args.manifest, definition.where)
  if (sheets.length === 0) throw noMatchError(args.manifest, definition.where)
  const file = path.resolve(outDir, 'bundles', `${definition.name}.pdf`)
  const sidecar = path.resolve(outDir, 'bundles', `${definition.name}.json`)
  const pdfs = await Promise.all(sheets.map((sheet) => readSheet(outDir, sheet)))
  const inputHash = sha256(
    JSON.stringify({
      definition: { name: definition.name, title: definition.title ?? null, where: WHERE_KEYS.map((key) => definition.where[key] ?? []) },
      sheets: sheets.map((sheet, i) => [sheet.id, sha256(pdfs[i]), sheet.facts]),
      theme: themeHash(theme),
      bundle: sha256(BUNDLE_CSS),
      creator: args.creator,
    }),
  )
  const last = await readSidecar(sidecar)
  if (last?.inputHash === inputHash && (await readFile(file).then(sha256, () => undefined)) === last.sha256) {
    return { file, sheets: sheets.length, pages: last.pages, skipped: true }
  }
  const docs = await Promise.all(pdfs.map((bytes) => PDFDocument.load(bytes, PDF_LOAD)))
  const sheetPages = docs.map((doc) => doc.getPageCount())
  const title = definition.title ?? bundleTitle(definition.where, sheets, theme)
  // The contents print the page each sheet starts on, which depends on how many pages the cover and contents take.
  let front: PDFDocument | undefined
  for (let guess = 1 + Math.ceil(sheets.length / 12), attempt = 0; !front && attempt < 3; attempt++) {
    const starts = sheetPages.map((_, i) => guess + 1 + sum(sheetPages.slice(0, i)))
    const model = buildBundleModel({ title, date: args.date, sheets, starts, theme })
    const printed = await PDFDocument.load(await args.print(renderBundleHtml(model, theme, guess + sum(sheetPages))), PDF_LOAD)
    if (printed.getPageCount() === guess) front = printed
    else guess = printed.getPageCount()
  }
  if (!front)
    throw new SheetError({ code: 'RenderFailed', message: `the cover and contents of bundle "${definition.name}" changed length every time they were printed` })
  const filter = describeWhere(definition.where)
  const merged = await mergeBundle(
    front,
    sheets.map((sheet, i) => ({ id: sheet.id, title: sheet.facts.title, pdf: docs[i] })),
    {
      title,
      subject: `${sheets.length} project fact ${sheets.length === 1 ? 'sheet' : 'sheets'}${filter ? ` (${filter})` : ''}`,
      author: theme.tokens.name,
      keywords: WHERE_KEYS.flatMap((key) => definition.where[key] ?? []),
      creator: args.creator,
      date: args.date,
      lang: 'en',
      documentId: inputHash,
    },
  )
  await writeFileAtomic(file, merged.bytes)
  const record = {
    name: definition.name,
    inputHash,
    sha256: sha256(merged.bytes),
    bytes: merged.bytes.byteLength,
    pages: merged.pages,
    sheets: sheets.map((s) => s.id),
  }
  await writeFileAtomic(sidecar, `${JSON.stringify(record, null, 2)}\n`)
  return { file, sheets: sheets.length, pages: merged.pages, skipped: false }
}

// --- internal ---

const sum = (numbers: readonly number[]) => numbers.reduce((total, n) => total + n, 0)
const usage = (message: string, hint: string) => new SheetError({ code: 'UsageError', message, hint })

async function readSheet(outDir: string, sheet: ManifestEntry): Promise<Uint8Array> {
  try {
    return await readFile(outputPath(outDir, sheet.id, 'pdf'))
  } catch {
    throw usage(`the sheet "${sheet.id}" is in the manifest but its PDF is missing from ${outDir}`, 'build the sheets again, then the bundle')
  }
}

async function readSidecar(file: string): Promise<{ inputHash: string; sha256: string; pages: number } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** The theme's CSS and every file it is made of (templates, bundle.hbs, tokens, images), relative to its templates folder. */
function themeHash(theme: Theme): string {
  const root = path.dirname(theme.dir)
  return sha256([sha256(theme.css), ...theme.files.map((file) => `${path.relative(root, file)}\0${sha256(readFileSync(file))}`)].join('\n'))
}
