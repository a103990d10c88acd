/** Thin wrappers over poppler's tools: what is really in a PDF. */
import { execFileSync } from 'node:child_process'

/** The PDF's text in reading layout, NBSPs as plain spaces, runs of spaces folded. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

/** The same text with all whitespace folded to single spaces, for phrase searches that cross line breaks. */
export function pdfFlatText(file: string): string {
  return pdfText(file).replace(/[\s\u00a0]+/g, ' ')
}

/** pdfinfo's fields as a map (Title, Pages, Tagged...). */
export function pdfInfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-enc', 'UTF-8', file], { encoding: 'utf8' })
  return Object.fromEntries(
    out.split('\n').flatMap((line) => {
      const match = /^([^:]+):\s*(.*)$/.exec(line)
      return match ? [[match[1].trim(), match[2].trim()]] : []
    }),
  )
}

/** One row of pdffonts. */
export interface PdfFont {
  name: string
  embedded: boolean
}

/** The fonts a PDF uses and whether each is embedded. */
export function pdfFonts(file: string): PdfFont[] {
  const out = execFileSync('pdffonts', [file], { encoding: 'utf8' })
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const columns = line.trim().split(/\s+/)
      // name ... emb sub uni object ID: the three yes/no columns come before the object number.
      const emb = columns[columns.length - 5]
      return { name: columns[0], embedded: emb === 'yes' }
    })
}

/** Every tagged Figure of a PDF's structure tree with its alternative text (/Alt), in tree order, read with pdf-lib. */
export async function pdfFigures(file: string): Promise<string[]> {
  const { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } = await import('pdf-lib')
  const { readFileSync } = await import('node:fs')
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false })
  const figures: string[] = []
  const visit = (node: unknown, depth: number): void => {
    const value = node instanceof Object && 'objectNumber' in node ? doc.context.lookup(node as never) : node
    if (depth > 200) return
    if (value instanceof PDFArray) return value.asArray().forEach((kid) => visit(kid, depth + 1))
    if (!(value instanceof PDFDict)) return
    const type = value.get(PDFName.of('S'))
    if (type instanceof PDFName && type.decodeText() === 'Figure') {
      const alt = value.get(PDFName.of('Alt'))
      figures.push(alt instanceof PDFString || alt instanceof PDFHexString ? alt.decodeText() : '')
    }
    visit(value.get(PDFName.of('K')), depth + 1)
  }
  visit(doc.catalog.get(PDFName.of('StructTreeRoot')), 0)
  return figures
}

/**
 * How far down its printable area the last page's text reaches (0..1), from the words' boxes (`pdftotext -bbox`):
 * words in the top and bottom margins (running footer, page number) are left out.
 */
export function lastPageShare(file: string, margin: { topMm: number; bottomMm: number }): number {
  const pages = Number(pdfInfo(file).Pages)
  const xml = execFileSync('pdftotext', ['-bbox', '-f', String(pages), '-l', String(pages), file, '-'], { encoding: 'utf8' })
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(xml)?.[1])
  const top = (margin.topMm * 72) / 25.4
  const bottom = height - (margin.bottomMm * 72) / 25.4
  const ends = [...xml.matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)]
    .map((match) => [Number(match[1]), Number(match[2])])
    .filter(([yMin]) => yMin >= top - 1 && yMin < bottom)
    .map(([, yMax]) => yMax)
  return ends.length === 0 ? 0 : (Math.max(...ends) - top) / (bottom - top)
}

/** The PDF's XMP metadata packet, as `pdfinfo -meta` prints it. */
export function pdfXmp(file: string): string {
  return execFileSync('pdfinfo', ['-meta', file], { encoding: 'utf8' })
}
