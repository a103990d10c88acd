/** Sets a printed PDF's document information with pdf-lib: title, subject, author, keywords, language, tool, dates. */
import { PDFDocument, PDFHexString, PDFArray, PDFName, PDFString } from 'pdf-lib'

/** The document information a sheet's PDF carries. */
export interface PdfMetadata {
  title: string
  subject?: string
  author: string
  keywords: string[]
  lang: string
  /** The tool, as "factsheets 0.1.0". */
  creator: string
  /** Creation and modification date. */
  date: Date
  /** Hex digest of the sheet's inputs: the PDF's document ID, stable across builds of the same inputs. */
  documentId: string
}

/** A finished PDF and its page count. */
export interface FinishedPdf {
  bytes: Uint8Array
  pages: number
}

/**
 * Writes the metadata into the PDF and gives it a document ID derived from its content, so that the
 * same inputs give the same bytes. The structure tree (tags) and outline are kept.
 */
export async function finishPdf(printed: Uint8Array, meta: PdfMetadata): Promise<FinishedPdf> {
  const doc = await PDFDocument.load(printed, { updateMetadata: false })
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
  const id = PDFArray.withContext(doc.context)
  const digest = meta.documentId.slice(0, 32).padEnd(32, '0')
  id.push(PDFHexString.of(digest))
  id.push(PDFHexString.of(digest))
  doc.context.trailerInfo.ID = id
  const bytes = await doc.save({ useObjectStreams: false })
  return { bytes, pages: doc.getPageCount() }
}
