/** Sets a printed PDF's document information with pdf-lib: title, subject, author, keywords, language, tool, dates. */
import { Parser } from 'htmlparser2'
import { renumberElementIds } from './element-ids.ts'
import { setXmp, type DocumentInfo } from './xmp.ts'
import { pdfFindings, type Finding } from './preflight.ts'
import type { FitOutcome } from './fit.ts'
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib'

/**
 * pdf-lib yields to the event loop every few objects by default; a sheet is small, and those pauses doubled its time.
 * Metadata is set explicitly, never from pdf-lib's own defaults.
 */
export const PDF_LOAD = { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest } as const
export const PDF_SAVE = { useObjectStreams: false, objectsPerTick: Number.POSITIVE_INFINITY } as const

/** The document information a sheet's PDF carries. */
export interface PdfMetadata extends DocumentInfo {
  /** The sheet's headings as written, to mend bookmark titles (see fixOutlineTitles). */
  headings: string[]
  /** Hex digest of the sheet's inputs: the PDF's document ID, stable across builds of the same inputs. */
  documentId: string
  /** What the XMP packet adds: the record id, the theme and its version, how the sheet was fitted. */
  xmp?: { id: string; inputHash: string; theme: string; themeVersion?: string; fit: FitOutcome }
  /** The theme's font families: preflight reports any other font in the PDF. */
  families?: string[]
}

/** A finished PDF, its page count and what preflight found in it. */
export interface FinishedPdf {
  bytes: Uint8Array
  pages: number
  findings: Finding[]
}

/**
 * Writes the metadata into the PDF and gives it a document ID derived from its content, so that the
 * same inputs give the same bytes. The structure tree (tags) and outline are kept; the tags' element ids are renumbered
 * (see element-ids.ts).
 */
export async function finishPdf(printed: Uint8Array, meta: PdfMetadata): Promise<FinishedPdf> {
  const doc = await PDFDocument.load(printed, PDF_LOAD)
  doc.setTitle(meta.title, { showInWindowTitleBar: true })
  if (meta.subject) doc.setSubject(meta.subject)
  doc.setAuthor(meta.author)
  // pdf-lib joins keywords with spaces; commas keep multi-word ones ("EU countries") readable.
  doc.setKeywords([meta.keywords.join(', ')])
  doc.setCreator(meta.creator)
  doc.setProducer(meta.creator)
  doc.setCreationDate(meta.date)
  doc.setModificationDate(meta.date)
  doc.catalog.set(PDFName.of('Lang'), PDFString.of(meta.lang))
  fixOutlineTitles(doc, meta.headings)
  renumberElementIds(doc)
  const id = PDFArray.withContext(doc.context)
  const digest = meta.documentId.slice(0, 32).padEnd(32, '0')
  id.push(PDFHexString.of(digest))
  id.push(PDFHexString.of(digest))
  doc.context.trailerInfo.ID = id
  const pages = doc.getPageCount()
  const findings = meta.families ? pdfFindings(doc, meta.families) : []
  if (meta.xmp) {
    const { fit, ...rest } = meta.xmp
    setXmp(doc, { ...meta, ...rest, fitStep: fit.step, fitStepName: fit.stepName, pages })
  }
  const bytes = await doc.save(PDF_SAVE)
  return { bytes, pages, findings }
}

/** The text of every h1-h6 in an HTML document, whitespace folded: only the headings are parsed, not the body around them. */
export function headingTexts(html: string): string[] {
  const headings: string[] = []
  let depth = 0
  let current = ''
  const parser = new Parser(
    {
      onopentag(name) {
        if (/^h[1-6]$/.test(name)) depth++
      },
      ontext(text) {
        if (depth > 0) current += text
      },
      onclosetag(name) {
        if (!/^h[1-6]$/.test(name) || depth === 0) return
        if (--depth === 0) {
          headings.push(current.replace(/\s+/g, ' ').trim())
          current = ''
        }
      },
    },
    { decodeEntities: true },
  )
  parser.end(headingElements(html).join(''))
  return headings
}

// --- internal ---

/**
 * Each heading element of the document, from its start tag to its end tag, in order. The templates' text is escaped,
 * so "<h" starts a tag; a heading left open ends where the next one starts.
 */
function headingElements(html: string): string[] {
  const starts = [...html.matchAll(/<h[1-6][\s>/]/gi)].map((match) => match.index)
  return starts.map((start, i) => {
    const end = /<\/h[1-6]\s*>/i.exec(html.slice(start, starts[i + 1]))
    return html.slice(start, end ? start + end.index + end[0].length : starts[i + 1])
  })
}

/**
 * Chromium joins the lines of a wrapped heading without a space in its bookmarks ("MigrationManagement");
 * each bookmark title is replaced by the heading it was made from.
 */
function fixOutlineTitles(doc: PDFDocument, headings: readonly string[]): void {
  const byLetters = new Map(headings.map((heading) => [heading.replace(/\s+/g, ''), heading]))
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  const walk = (first: PDFDict | undefined) => {
    for (let node = first; node; node = node.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const title = node.lookup(PDFName.of('Title'))
      if (title instanceof PDFString || title instanceof PDFHexString) {
        const letters = title.decodeText().replace(/\s+/g, '')
        // A heading split by a page break comes back twice over ("Reception standardsReception standards").
        const half = letters.slice(0, letters.length / 2)
        const heading = byLetters.get(letters) ?? (letters === half + half ? byLetters.get(half) : undefined)
        if (heading) node.set(PDFName.of('Title'), PDFHexString.fromText(heading))
      }
      walk(node.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict))
}
