/** Donor bundles: one PDF per donor with a cover, a table of contents and the sheets, merged from the sheets' own PDFs. */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { PDFDocument } from 'pdf-lib'
import { z } from 'zod'
import { BUNDLE_CSS, buildBundleModel, renderBundleHtml } from './front.ts'
import { mergeBundle } from './pages.ts'
import { bundleLanguage, bundleTitle, describeWhere, noMatchError, selectSheets, WHERE_KEYS, type BundleDefinition } from './where.ts'
import { sheetLanguage } from '../sheet/model.ts'
import { SheetError } from '../core/errors.ts'
import { ID_PATTERN, writeFileAtomic } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { PDF_LOAD, type FinishedPdf } from '../print/pdf-meta.ts'
import type { Theme } from '../theme/theme.ts'
import type { Manifest, ManifestEntry } from '../output/manifest.ts'
import { outputPath } from '../output/write.ts'

/** What writeBundle did: the bundle's absolute path, its sheets and pages, and whether it was already up to date. */
export interface BundleResult {
  file: string
  sheets: number
  pages: number
  skipped: boolean
  /** Problems the bundle was written with: a sheet whose record failed in this build, kept from the last build (stale). */
  warnings: string[]
}

/** What writeBundle needs: the output folder and its manifest, the bundle, the theme, a way to print HTML, the date and the tool. */
export interface BundleArgs {
  outDir: string
  manifest: Manifest
  definition: BundleDefinition
  theme: Theme
  print: (html: string) => Promise<Uint8Array>
  date: Date
  creator: string
  /** Ids of sheets whose record failed in this build (their PDF is the last good one): bundled, each with a warning. */
  stale?: readonly string[]
}

/**
 * Writes out/bundles/<name>.pdf: a cover (title, date, number of projects, total budget per currency, the theme's logo)
 * and a table of contents with a link to each sheet's first page, printed as one HTML document with `print`, then the
 * sheets' PDFs from outDir/<id>.pdf, merged with pdf-lib (never printed again), with bookmarks and metadata. Skipped when
 * the sidecar out/bundles/<name>.json holds the same input hash (the definition, each sheet's id, PDF hash and facts, the
 * theme's fingerprint, `creator`); the date alone does not rebuild a bundle. Throws SheetError UsageError for a bad
 * name, a filter that matches no sheet (with the values that exist), or a sheet whose PDF is missing.
 */
export async function writeBundle(args: BundleArgs): Promise<BundleResult> {
  const { outDir, definition } = args
  if (!ID_PATTERN.test(definition.name)) {
    throw usage(`the bundle name "${definition.name}" is not lowercase letters, digits and hyphens`, 'it names the file out/bundles/<name>.pdf: try donor-amif')
  }
  const lang = bundleLanguage(args.manifest, definition)
  const sheets = selectSheets(args.manifest, definition.where, lang)
  if (sheets.length === 0) throw noMatchError(args.manifest, definition.where)
  const warnings = sheets
    .filter((sheet) => args.stale?.includes(sheet.id))
    .map((sheet) => `the bundle "${definition.name}" holds ${sheet.id}.pdf from the last build: its record failed in this build, so that sheet is stale`)
  const file = path.resolve(outDir, 'bundles', `${definition.name}.pdf`)
  const sidecar = path.resolve(outDir, 'bundles', `${definition.name}.json`)
  const pdfs = await Promise.all(sheets.map((sheet) => readSheet(outDir, sheet)))
  const inputHash = bundleInputHash(args, sheets, pdfs)
  const last = await readSidecar(sidecar)
  if (last?.inputHash === inputHash && (await readFile(file).then(sha256, () => undefined)) === last.sha256) {
    return { file, sheets: sheets.length, pages: last.pages, skipped: true, warnings }
  }
  const merged = await assemble(args, sheets, pdfs, inputHash)
  await writeFileAtomic(file, merged.bytes)
  const record: Sidecar = {
    name: definition.name,
    inputHash,
    sha256: sha256(merged.bytes),
    bytes: merged.bytes.byteLength,
    pages: merged.pages,
    sheets: sheets.map((sheet) => sheet.id),
  }
  await writeFileAtomic(sidecar, `${JSON.stringify(record, null, 2)}\n`)
  return { file, sheets: sheets.length, pages: merged.pages, skipped: false, warnings }
}

// --- internal ---

/** out/bundles/<name>.json: what the last build of a bundle was made from, and what it wrote. */
const sidecarSchema = z.object({
  name: z.string(),
  inputHash: z.string(),
  sha256: z.string(),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().positive(),
  sheets: z.array(z.string()),
})
type Sidecar = z.infer<typeof sidecarSchema>

const sum = (numbers: readonly number[]) => numbers.reduce((total, n) => total + n, 0)
const usage = (message: string, hint: string) => new SheetError({ code: 'UsageError', message, hint })

async function readSheet(outDir: string, sheet: ManifestEntry): Promise<Uint8Array> {
  try {
    return await readFile(outputPath(outDir, sheet.id, 'pdf'))
  } catch {
    throw usage(`the sheet "${sheet.id}" is in the manifest but its PDF is missing from ${outDir}`, 'build the sheets again, then the bundle')
  }
}

/** The last build's sidecar; undefined (build again) when it is missing, not JSON, or not a sidecar. */
async function readSidecar(file: string): Promise<Sidecar | undefined> {
  try {
    const parsed = sidecarSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Everything a bundle is made of except the date: the definition, each sheet's id, PDF and facts, the theme, the bundle CSS, the tool. */
function bundleInputHash({ definition, theme, creator }: BundleArgs, sheets: readonly ManifestEntry[], pdfs: readonly Uint8Array[]): string {
  return sha256(
    JSON.stringify({
      definition: { name: definition.name, title: definition.title ?? null, where: WHERE_KEYS.map((key) => definition.where[key] ?? []), lang: definition.lang ?? null },
      sheets: sheets.map((sheet, i) => [sheet.id, sha256(pdfs[i]), sheet.facts]),
      theme: theme.fingerprint,
      bundle: sha256(BUNDLE_CSS),
      creator,
    }),
  )
}

/** The bundle's bytes: the cover and contents printed, then every sheet's pages merged after them, with its metadata. */
async function assemble(args: BundleArgs, sheets: readonly ManifestEntry[], pdfs: readonly Uint8Array[], inputHash: string): Promise<FinishedPdf> {
  const { definition, theme } = args
  const docs = await Promise.all(pdfs.map((bytes) => PDFDocument.load(bytes, PDF_LOAD)))
  const lang = bundleLanguage(args.manifest, definition)
  const title = definition.title ?? bundleTitle(definition.where, sheets, theme, sheetLanguage(theme, lang), lang)
  const front = await printFront(args, title, sheets, docs, lang)
  const filter = describeWhere(definition.where)
  return mergeBundle(
    front,
    sheets.map((sheet, i) => ({ id: sheet.id, title: sheet.facts.title, pdf: docs[i] })),
    {
      title,
      subject: `${sheets.length} project fact ${sheets.length === 1 ? 'sheet' : 'sheets'}${filter ? ` (${filter})` : ''}`,
      author: theme.tokens.name,
      keywords: WHERE_KEYS.flatMap((key) => definition.where[key] ?? []),
      creator: args.creator,
      date: args.date,
      lang,
      documentId: inputHash,
    },
  )
}

/**
 * The cover and contents, printed. The contents print the page each sheet starts on, which depends on how many pages
 * the cover and contents take: guessed, printed, and printed again with the count found (three tries).
 */
async function printFront(args: BundleArgs, title: string, sheets: readonly ManifestEntry[], docs: readonly PDFDocument[], lang: string): Promise<PDFDocument> {
  const sheetPages = docs.map((doc) => doc.getPageCount())
  let guess = 1 + Math.ceil(sheets.length / 12)
  for (let attempt = 0; attempt < 3; attempt++) {
    const starts = sheetPages.map((_, i) => guess + 1 + sum(sheetPages.slice(0, i)))
    const model = buildBundleModel({ title, date: args.date, sheets, starts, theme: args.theme, where: args.definition.where, lang })
    const printed = await PDFDocument.load(await args.print(renderBundleHtml(model, args.theme)), PDF_LOAD)
    if (printed.getPageCount() === guess) return printed
    guess = printed.getPageCount()
  }
  throw new SheetError({
    code: 'RenderFailed',
    message: `the cover and contents of bundle "${args.definition.name}" changed length every time they were printed`,
  })
}
