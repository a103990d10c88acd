/** The number of pages of a printed PDF, read from its page tree without parsing it (pdf-lib only when in doubt). */

/**
 * Chromium writes its page tree in plain objects: the root's /Count, checked against the page objects found, is read
 * without parsing the document; anything else (object streams, a disagreement) is read with pdf-lib, loaded then.
 */
export async function countPages(pdf: Uint8Array): Promise<number> {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1')
  const pages = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0
  let count = 0
  for (const tree of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) count = Math.max(count, Number(tree[1] ?? tree[2]))
  if (pages > 0 && count === pages && !text.includes('/ObjStm')) return pages
  const [{ PDFDocument }, { PDF_LOAD }] = await Promise.all([import('pdf-lib'), import('./pdf-meta.ts')])
  return (await PDFDocument.load(pdf, PDF_LOAD)).getPageCount()
}
