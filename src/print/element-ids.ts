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
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
  if (!root) return
  const found: { holder: PDFDict | PDFArray; at: PDFName | number; number: bigint; width: number }[] = []
  const take = (holder: PDFDict | PDFArray, at: PDFName | number, value: PDFObject | undefined) => {
    const match = value instanceof PDFString || value instanceof PDFHexString ? NODE_ID.exec(value.decodeText()) : null
    if (match) found.push({ holder, at, number: BigInt(match[1]), width: match[1].length })
  }
  const strings = (array: PDFArray | undefined, step: number) => {
    for (let index = 0; index < (array?.size() ?? 0); index += step) take(array!, index, array!.get(index))
  }
  // Each structure element's /ID, and the /Headers of its attributes (a dictionary or an array of them).
  const attributes = (value: PDFObject | undefined) => {
    if (value instanceof PDFArray) return value.asArray().forEach(attributes)
    if (value instanceof PDFDict) strings(value.lookupMaybe(PDFName.of('Headers'), PDFArray), 1)
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('StructElem')) continue
    take(object, PDFName.of('ID'), object.get(PDFName.of('ID')))
    attributes(object.get(PDFName.of('A')))
  }
  // The structure tree's /IDTree, a name tree: [key value key value …] in its leaves, [first last] above them.
  const names = (node: PDFDict | undefined) => {
    if (!node) return
    strings(node.lookupMaybe(PDFName.of('Names'), PDFArray), 2)
    strings(node.lookupMaybe(PDFName.of('Limits'), PDFArray), 1)
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray)
    for (let index = 0; index < (kids?.size() ?? 0); index++) names(kids!.lookupMaybe(index, PDFDict))
  }
  names(root.lookupMaybe(PDFName.of('IDTree'), PDFDict))
  const order = [...new Set(found.map((entry) => entry.number))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const renumbered = new Map(order.map((number, index) => [number, index + 1]))
  for (const { holder, at, number, width } of found) {
    const id = PDFString.of(`node${String(renumbered.get(number)).padStart(width, '0')}`)
    if (holder instanceof PDFDict) holder.set(at as PDFName, id)
    else holder.set(at as number, id)
  }
}
