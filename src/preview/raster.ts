/** A sheet's PDF → one PNG per page, drawn by poppler's pdftoppm, for the live preview. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { crc32, deflate } from 'node:zlib'

const deflateAsync = promisify(deflate)

/** Pages are drawn at 1.5× their CSS size: sharp on most screens. */
const DPI = 144

/** pdftoppm processes at once. */
const PARALLEL = 4

/** One drawn page: the PNG, and the page's size in CSS pixels (its printed size on screen). */
export interface PageImage {
  png: Buffer
  width: number
  height: number
}

/**
 * Page images come from poppler's pdftoppm, run on the very PDF that is downloaded, so what the designer sees is the
 * PDF itself (fonts, page breaks, margin boxes) and not a browser's screen rendering of the HTML. pdfjs-dist would
 * need a native canvas in Node; a browser's PDF viewer brings its own toolbar and zoom, and cannot be updated in place
 * without flashing. Without pdftoppm the page embeds the PDF instead (the designer's browser shows it in its viewer).
 *
 * pdftoppm reads the PDF on stdin and writes raw pixels (PPM) on stdout, which are packed into a PNG here: its own
 * PNG encoder takes ~0.5 s a page, ten times longer than drawing, and an edit should show within a second.
 */
export interface Rasterizer {
  /** Draws every page of a PDF. */
  draw(pdf: Uint8Array, pages: number): Promise<PageImage[]>
}

/** A rasterizer, or undefined when pdftoppm is not installed. */
export async function openRasterizer(): Promise<Rasterizer | undefined> {
  try {
    await promisify(execFile)('pdftoppm', ['-v'])
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
  }
  return {
    async draw(pdf, pages) {
      const images: PageImage[] = []
      for (let first = 1; first <= pages; first += PARALLEL) {
        const batch = Array.from({ length: Math.min(PARALLEL, pages - first + 1) }, (_, i) => first + i)
        images.push(...(await Promise.all(batch.map(async (n) => toPng(await pdftoppm(['-r', `${DPI}`, '-f', `${n}`, '-l', `${n}`, '-'], pdf))))))
      }
      return images
    },
  }
}

// --- internal ---

function pdftoppm(args: string[], input: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const options = { encoding: 'buffer' as const, maxBuffer: 256 * 1024 * 1024, timeout: 60_000 }
    const child = execFile('pdftoppm', args, options, (error, stdout) => (error ? reject(error) : resolve(stdout)))
    child.stdin?.on('error', () => {}) // it exited before reading everything: its error is reported above
    child.stdin?.end(input)
  })
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A binary PPM (P6, 8-bit RGB) → a PNG of the same pixels. */
async function toPng(ppm: Buffer): Promise<PageImage> {
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 64).toString('latin1'))
  if (!header) throw new Error('pdftoppm did not give an image')
  const [width, height] = [Number(header[1]), Number(header[2])]
  const row = width * 3
  const pixels = ppm.subarray(header[0].length)
  if (pixels.length < row * height) throw new Error('pdftoppm gave a truncated image')
  // Each PNG row is a filter byte (0: none) and the row's pixels.
  const raw = Buffer.alloc((row + 1) * height)
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (row + 1) + 1, y * row, (y + 1) * row)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8 bits, RGB, deflate, no filter method, not interlaced
  const png = Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', await deflateAsync(raw, { level: 3 })), chunk('IEND', Buffer.alloc(0))])
  // Shown at 96/DPI of its pixels, the page has its printed size on screen (A4: 794 CSS pixels wide).
  return { png, width: Math.round((width * 96) / DPI), height: Math.round((height * 96) / DPI) }
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0)
  return Buffer.concat([head, data, crc])
}
