/** The element ids of a tagged PDF's table cells, renumbered so that a sheet's bytes depend only on the sheet. */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib'

const NODE_ID = /^node(\d+)$/

/**
 * Chromium names the tagged elements that table cells point at (a header cell's /ID, a data cell's /Headers, the
 * structure tree's /IDTree) after DOM node numbers ("node00000162"). Those count every node the page ever made, so they
 * depend on what the page held before and on how many layouts copy-fitting tried. They are renumbered 1, 2, 3… in the
 * order of their numbers, at the same width.
 */
export function renumberElementIds(doc: PDFDocument): void {
  if (!doc.catalog.has(PDFName.of('StructTreeRoot'))) return
  const found: { holder: PDFDict | PDFArray; at: PDFName | number; number: bigint; width: number }[] = []
  const take = (holder: PDFDict | PDFArray, at: PDFName | number, value: PDFObject | undefined) => {
    const match = value instanceof PDFString || value instanceof PDFHexString ? NODE_ID.exec(value.decodeText()) : null
    if (match) found.push({ holder, at, number: BigInt(match[1]), width: match[1].length })
  }
  const strings = (array: PDFArray, step: number) => {
    for (let index = 0; index < array.size(); index += step) take(array, index, array.get(index))
  }
  const visit = (value: PDFObject | undefined) => {
    if (value instanceof PDFArray) return value.asArray().forEach(visit)
    if (!(value instanceof PDFDict)) return
    take(value, PDFName.of('ID'), value.get(PDFName.of('ID')))
    const headers = value.get(PDFName.of('Headers'))
    if (headers instanceof PDFArray) strings(headers, 1)
    // A name tree's node: [key value key value …] and the [first last] keys under it.
    const names = value.get(PDFName.of('Names'))
    if (names instanceof PDFArray) strings(names, 2)
    const limits = value.get(PDFName.of('Limits'))
    if (limits instanceof PDFArray) strings(limits, 1)
    visit(value.get(PDFName.of('A')))
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object)
  const order = [...new Set(found.map((entry) => entry.number))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const renumbered = new Map(order.map((number, index) => [number, index + 1]))
  for (const { holder, at, number, width } of found) {
    const id = PDFString.of(`node${String(renumbered.get(number)).padStart(width, '0')}`)
    if (holder instanceof PDFDict) holder.set(at as PDFName, id)
    else holder.set(at as number, id)
  }
}
