/** A theme's CSS page box (size and margins, as theme.json writes them) in CSS pixels, for measuring a sheet's layout. */

/** The printable area of one page, in CSS pixels (96 per inch). */
export interface PageBox {
  /** Width of the area inside the margins. */
  width: number
  /** Height of the area inside the margins. */
  height: number
}

const PX: Record<string, number> = { px: 1, in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72, pc: 16, q: 96 / 101.6 }

/** Paper sizes CSS names, portrait, in millimetres. */
const NAMED: Record<string, [number, number]> = {
  a3: [297, 420],
  a4: [210, 297],
  a5: [148, 210],
  b4: [250, 353],
  b5: [176, 250],
  letter: [215.9, 279.4],
  legal: [215.9, 355.6],
  ledger: [279.4, 431.8],
}

/** The area inside the margins of a page of `size` (such as "A4", "A4 landscape", "210mm 297mm") and `margin` (1-4 lengths). */
export function pageBox(size: string, margin: string): PageBox | undefined {
  const paper = paperSize(size)
  const edges = margin.trim().split(/\s+/).map(length)
  if (!paper || edges.length < 1 || edges.length > 4 || edges.some((edge) => edge === undefined)) return undefined
  const [top, right = top, bottom = top, left = right] = edges as number[]
  const box = { width: paper[0] - left! - right!, height: paper[1] - top! - bottom! }
  return box.width > 0 && box.height > 0 ? box : undefined
}

// --- internal ---

function paperSize(size: string): [number, number] | undefined {
  const words = size.trim().toLowerCase().split(/\s+/)
  const landscape = words.includes('landscape')
  const rest = words.filter((word) => word !== 'landscape' && word !== 'portrait')
  let paper: [number, number] | undefined
  if (rest.length === 1 && NAMED[rest[0]!]) paper = NAMED[rest[0]!]!.map((mm) => mm * PX.mm!) as [number, number]
  else if (rest.length === 2) {
    const [width, height] = rest.map(length)
    if (width !== undefined && height !== undefined) paper = [width, height]
  }
  if (!paper) return undefined
  return landscape ? [Math.max(...paper), Math.min(...paper)] : paper
}

function length(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?|\.\d+)([a-z]*)$/i.exec(text)
  if (!match) return undefined
  if (match[2] === '' && Number(match[1]) === 0) return 0
  const unit = PX[match[2]!.toLowerCase()]
  return unit === undefined ? undefined : Number(match[1]) * unit
}
