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
