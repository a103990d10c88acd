/** Preflight after printing: what a print shop or a screen reader would find wrong in a finished PDF, as findings. */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib'

/** One problem found in a printed sheet; errors fail the record under --preflight strict. */
export interface Finding {
  level: 'error' | 'warning'
  /** A short code, such as font-not-embedded. */
  code: string
  message: string
}

/** Checks fonts (embedded, only the theme's families), links and bookmarks (targets exist), tags (figures, headings, language). */
export function pdfFindings(doc: PDFDocument, families: readonly string[]): Finding[] {
  return [...fontFindings(doc, families), ...linkFindings(doc), ...tagFindings(doc)]
}

// --- internal ---

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '')

function fontFindings(doc: PDFDocument, families: readonly string[]): Finding[] {
  const allowed = families.map(squash)
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict)
    for (const [, ref] of fonts?.entries() ?? []) {
      const font = doc.context.lookup(ref)
      if (!(font instanceof PDFDict)) continue
      const name = font.get(PDFName.of('BaseFont'))?.toString().replace(/^\/(?:[A-Z]{6}\+)?/, '') ?? 'unnamed'
      if (seen.has(name)) continue
      seen.add(name)
      const family = squash(name.split('-')[0]!)
      if (!allowed.some((ok) => family.startsWith(ok))) {
        findings.push({ level: 'error', code: 'foreign-font', message: `text is printed in ${name}, which is not one of the theme's fonts (${families.join(', ')}): a character none of them has, or a font-family outside the theme` })
      }
      if (!isEmbedded(doc, font)) findings.push({ level: 'error', code: 'font-not-embedded', message: `the font ${name} is not embedded` })
    }
  }
  return findings
}

function isEmbedded(doc: PDFDocument, font: PDFDict): boolean {
  const descendants = font.lookupMaybe(PDFName.of('DescendantFonts'), PDFArray)
  const target = descendants ? doc.context.lookup(descendants.get(0)) : font
  if (!(target instanceof PDFDict)) return false
  if (target.get(PDFName.of('Subtype'))?.toString() === '/Type3') return true
  const descriptor = target.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict)
  return ['FontFile', 'FontFile2', 'FontFile3'].some((key) => descriptor?.has(PDFName.of(key)))
}

function linkFindings(doc: PDFDocument): Finding[] {
  const pages = new Set(doc.getPages().map((page) => page.ref.toString()))
  const findings: Finding[] = []
  const pointsHome = (dest: unknown) => {
    const first = dest instanceof PDFArray ? dest.get(0) : undefined
    return first instanceof PDFRef && pages.has(first.toString())
  }
  for (const page of doc.getPages()) {
    for (const ref of page.node.Annots()?.asArray() ?? []) {
      const annot = doc.context.lookup(ref)
      if (!(annot instanceof PDFDict) || annot.get(PDFName.of('Subtype'))?.toString() !== '/Link') continue
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict)
      const dest = annot.lookup(PDFName.of('Dest'))
      const ok = action ? action.has(PDFName.of('URI')) || pointsHome(action.lookup(PDFName.of('D'))) : dest !== undefined && (pointsHome(dest) || !(dest instanceof PDFArray))
      if (!ok) findings.push({ level: 'error', code: 'link-without-target', message: 'a link in the sheet has no target' })
    }
  }
  const walk = (node: PDFDict | undefined) => {
    for (let item = node; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      const dest = item.lookup(PDFName.of('Dest'))
      if (dest instanceof PDFArray && !pointsHome(dest)) findings.push({ level: 'error', code: 'bookmark-without-page', message: `a bookmark points at a page that does not exist` })
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict))
  return findings
}

function tagFindings(doc: PDFDocument): Finding[] {
  const findings: Finding[] = []
  if (!doc.catalog.has(PDFName.of('Lang'))) findings.push({ level: 'error', code: 'no-language', message: 'the PDF does not say its language (/Lang)' })
  const root = doc.catalog.lookupMaybe(PDFName.of('StructTreeRoot'), PDFDict)
  if (!root) return [...findings, { level: 'warning', code: 'untagged', message: 'the PDF has no structure tree (tags)' }]
  let level = 0
  const visit = (node: unknown, depth: number) => {
    if (depth > 200) return
    const value = node instanceof PDFRef ? doc.context.lookup(node) : node
    if (value instanceof PDFArray) return value.asArray().forEach((kid) => visit(kid, depth + 1))
    if (!(value instanceof PDFDict)) return
    const type = value.get(PDFName.of('S'))?.toString().slice(1) ?? ''
    if (type === 'Figure' && !value.has(PDFName.of('Alt'))) findings.push({ level: 'warning', code: 'figure-without-alt', message: 'a figure has no text alternative (alt)' })
    const heading = /^H([1-6])$/.exec(type)
    if (heading) {
      const next = Number(heading[1])
      if (next > level + 1) findings.push({ level: 'warning', code: 'heading-skips-level', message: `a heading of level ${next} follows one of level ${level || 'none'}` })
      level = next
    }
    visit(value.get(PDFName.of('K')), depth + 1)
  }
  visit(root.get(PDFName.of('K')), 0)
  return findings
}
