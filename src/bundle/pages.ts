/** Donor bundles, pages: the printed cover/contents and the sheets' own PDFs merged with pdf-lib, never printed again. */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFObjectCopier, PDFPage, PDFPageLeaf, PDFRef, PDFString } from 'pdf-lib'
import { SHEET_LINK } from './front.ts'
import { SheetError } from '../core/errors.ts'
import { finishPdf, PDF_SAVE, type FinishedPdf, type PdfMetadata } from '../print/pdf-meta.ts'

/** A sheet's PDF as it goes into a bundle. */
export interface BundleSheet {
  id: string
  /** Its bookmark's title. */
  title: string
  pdf: PDFDocument
}

/**
 * Merges the cover/contents and the sheets, in order, into one PDF: every page keeps its content, links and tags (the
 * structure trees are joined under one Document); the contents' links to https://bundle.invalid/sheet/<id> become jumps to
 * that sheet's first page; the outline has "Contents", then one closed bookmark per sheet holding the sheet's own headings.
 */
export async function mergeBundle(front: PDFDocument, sheets: readonly BundleSheet[], info: Omit<PdfMetadata, 'headings'>): Promise<FinishedPdf> {
  const doc = await PDFDocument.create({ updateMetadata: false })
  const tags: Tags = { kids: [], nums: [], nextKey: 0 }
  const frontPart = append(doc, front, tags)
  const firstPages = new Map<string, { page: PDFPage; number: number; title: string }>()
  const bookmarks: Bookmark[] = []
  for (const sheet of sheets) {
    const number = doc.getPageCount() + 1
    const part = append(doc, sheet.pdf, tags)
    firstPages.set(sheet.id, { page: part.pages[0], number, title: sheet.title })
    bookmarks.push({ title: sheet.title, page: part.pages[0], children: copyOutline(sheet.pdf, part.copier) })
  }
  const contentsPage = linkContents(frontPart.pages, firstPages)
  writeOutline(doc, [{ title: 'Contents', page: contentsPage ?? frontPart.pages[0], children: [] }, ...bookmarks])
  writeTags(doc, tags, info.lang)
  doc.catalog.set(name('PageMode'), name('UseOutlines'))
  // The document information, language and ID as every sheet gets them (the bundle's headings are its bookmarks already).
  return finishPdf(await doc.save(PDF_SAVE), { ...info, headings: [] })
}

// --- internal ---

/** A jump to the top of a page, keeping the reader's zoom. */
function pageDestination(doc: PDFDocument, page: PDFPage): PDFArray {
  return doc.context.obj([page.ref, name('XYZ'), PDFNull, page.getHeight(), PDFNull])
}

/** The joined structure tree: the top elements of every part, and the parent tree with each part's keys shifted. */
interface Tags {
  kids: PDFRef[]
  nums: [number, PDFRef | PDFArray | PDFDict][]
  nextKey: number
}

/** A top bookmark: a title, the page it opens, and the bookmarks below it. */
type Bookmark = { title: string; page: PDFPage; children: PDFRef[] }

const name = (key: string) => PDFName.of(key)

/**
 * Appends every page of a document, and its structure tree, with one copier: references between them (a structure
 * element's page, a link's annotation, a bookmark's page) land on the copies. Parent-tree keys are shifted past those
 * of the parts before.
 */
function append(doc: PDFDocument, src: PDFDocument, tags: Tags): { pages: PDFPage[]; copier: PDFObjectCopier } {
  const copier = PDFObjectCopier.for(src.context, doc.context)
  const root = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict)
  const offset = tags.nextKey
  const pages = src.getPages().map((source) => {
    const ref = copier.copy(source.ref) as PDFRef
    const page = doc.addPage(PDFPage.of(doc.context.lookup(ref) as PDFPageLeaf, ref, doc))
    if (root) shiftKey(page.node, 'StructParents', offset)
    const annots = page.node.Annots()
    for (let i = 0; root && annots && i < annots.size(); i++) shiftKey(annots.lookup(i, PDFDict), 'StructParent', offset)
    return page
  })
  if (!root) return { pages, copier }
  const top = root.get(name('K'))
  const kids = top instanceof PDFArray ? top.asArray() : top ? [top] : []
  for (const kid of kids) {
    if (!(kid instanceof PDFRef)) continue
    // Detached from the source's root first, so that copying the element does not copy the root and its whole tree again.
    src.context.lookup(kid, PDFDict).delete(name('P'))
    tags.kids.push(copier.copy(kid) as PDFRef)
  }
  let last = -1
  const walk = (node: PDFDict) => {
    const nums = node.lookupMaybe(name('Nums'), PDFArray)
    for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
      const key = nums.lookup(i, PDFNumber).asNumber()
      tags.nums.push([key + offset, copier.copy(nums.get(i + 1)) as PDFRef])
      last = Math.max(last, key)
    }
    const children = node.lookupMaybe(name('Kids'), PDFArray)
    for (let i = 0; children && i < children.size(); i++) walk(children.lookup(i, PDFDict))
  }
  const parentTree = root.lookupMaybe(name('ParentTree'), PDFDict)
  if (parentTree) walk(parentTree)
  tags.nextKey = offset + Math.max(last + 1, root.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber() ?? 0)
  return { pages, copier }
}

function shiftKey(dict: PDFDict, key: string, offset: number): void {
  const value = dict.lookupMaybe(name(key), PDFNumber)
  if (value) dict.set(name(key), PDFNumber.of(value.asNumber() + offset))
}

/** One StructTreeRoot over every part: each part's Document becomes a Part of the bundle's Document. */
function writeTags(doc: PDFDocument, tags: Tags, lang: string): void {
  if (tags.kids.length === 0) return
  const { context } = doc
  const rootRef = context.nextRef()
  const documentRef = context.register(context.obj({ Type: 'StructElem', S: 'Document', P: rootRef, K: tags.kids, Lang: PDFString.of(lang) }))
  for (const kid of tags.kids) {
    const element = context.lookup(kid, PDFDict)
    element.set(name('P'), documentRef)
    if (element.get(name('S')) === name('Document')) element.set(name('S'), name('Part'))
  }
  const nums = context.obj(tags.nums.flatMap(([key, value]) => [PDFNumber.of(key), value]))
  const parentTree = context.register(context.obj({ Nums: nums }))
  context.assign(rootRef, context.obj({ Type: 'StructTreeRoot', K: documentRef, ParentTree: parentTree, ParentTreeNextKey: tags.nextKey }))
  doc.catalog.set(name('StructTreeRoot'), rootRef)
  doc.catalog.set(name('MarkInfo'), context.obj({ Marked: true }))
}

/**
 * Turns each contents link to https://bundle.invalid/sheet/<id> into a jump to that sheet's first page, described for
 * screen readers. Returns the first page holding such a link: where the contents start.
 */
function linkContents(pages: readonly PDFPage[], targets: ReadonlyMap<string, { page: PDFPage; number: number; title: string }>): PDFPage | undefined {
  let contents: PDFPage | undefined
  for (const page of pages) {
    const annots = page.node.Annots()
    for (let i = 0; annots && i < annots.size(); i++) {
      const annot = annots.lookup(i, PDFDict)
      const uri = annot.lookupMaybe(name('A'), PDFDict)?.lookup(name('URI'))
      const href = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : ''
      if (!href.startsWith(SHEET_LINK)) continue
      const target = targets.get(sheetId(href))
      if (!target) throw strayLink(href)
      annot.delete(name('A'))
      annot.set(name('Dest'), pageDestination(page.doc, target.page))
      annot.set(name('Contents'), PDFHexString.fromText(`${target.title}, page ${target.number}`))
      contents ??= page
    }
  }
  return contents
}

/** The sheet id a contents link names: what follows https://bundle.invalid/sheet/, decoded when it is URI-encoded. */
function sheetId(href: string): string {
  const id = href.slice(SHEET_LINK.length)
  try {
    return decodeURIComponent(id)
  } catch {
    return id
  }
}

/** The error for a contents link to a sheet the bundle does not hold: a theme's bundle.hbs that writes its own links. */
function strayLink(href: string): SheetError {
  return new SheetError({
    code: 'TemplateError',
    message: `the bundle template links to ${href}, but the sheet "${sheetId(href)}" is not in the bundle`,
    hint: 'in bundle.hbs, link only to each entry\'s href ({{#each entries}}<a href="{{href}}">), which names a sheet of the bundle',
  })
}

/**
 * A sheet's own bookmarks (its headings), copied: the children of its single top bookmark (the sheet's title, which the
 * bundle's bookmark replaces), or all its top bookmarks. Returns the copies, in order, not yet linked to a parent.
 */
function copyOutline(src: PDFDocument, copier: PDFObjectCopier): PDFRef[] {
  const chain = (parent: PDFDict | undefined) => {
    const refs: PDFRef[] = []
    for (let ref = parent?.get(name('First')); ref instanceof PDFRef; ref = src.context.lookup(ref, PDFDict).get(name('Next'))) refs.push(ref)
    return refs
  }
  let items = chain(src.catalog.lookupMaybe(name('Outlines'), PDFDict))
  if (items.length === 1) items = chain(src.context.lookup(items[0], PDFDict))
  for (const ref of items) {
    const item = src.context.lookup(ref, PDFDict)
    for (const key of ['Parent', 'Prev', 'Next']) item.delete(name(key))
  }
  return items.map((ref) => copier.copy(ref) as PDFRef)
}

/** The document outline from low-level objects: top bookmarks open, each sheet's own headings closed below it. */
function writeOutline(doc: PDFDocument, bookmarks: readonly Bookmark[]): void {
  const { context } = doc
  const rootRef = context.nextRef()
  const link = (parent: PDFRef, refs: readonly PDFRef[]) => {
    refs.forEach((ref, i) => {
      const item = context.lookup(ref, PDFDict)
      item.set(name('Parent'), parent)
      if (i > 0) item.set(name('Prev'), refs[i - 1])
      if (i < refs.length - 1) item.set(name('Next'), refs[i + 1])
    })
  }
  const refs = bookmarks.map((bookmark) => {
    const item = context.obj({ Title: PDFHexString.fromText(bookmark.title), Dest: pageDestination(doc, bookmark.page) })
    const ref = context.register(item)
    if (bookmark.children.length === 0) return ref
    link(ref, bookmark.children)
    item.set(name('First'), bookmark.children[0])
    item.set(name('Last'), bookmark.children[bookmark.children.length - 1])
    // Closed: minus the number of bookmarks that opening it shows (each child, and the children of an open child).
    const open = (child: PDFRef) => Math.max(0, context.lookup(child, PDFDict).lookupMaybe(name('Count'), PDFNumber)?.asNumber() ?? 0)
    item.set(name('Count'), PDFNumber.of(-bookmark.children.reduce((shown, child) => shown + 1 + open(child), 0)))
    return ref
  })
  link(rootRef, refs)
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: refs[0], Last: refs[refs.length - 1], Count: refs.length }))
  doc.catalog.set(name('Outlines'), rootRef)
}
