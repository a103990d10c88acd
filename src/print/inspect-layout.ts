/** Preflight on the laid-out page: boxes that cut their text off, and raster images too coarse for their printed size. */

/** What the laid-out sheet shows that a reader of the PDF would miss. */
export interface LayoutFindings {
  /** Boxes whose content overflows a fixed size with overflow hidden or clipped: "div.facts (“Partners This MPF…”)". */
  clipped: string[]
  /** Raster images below `minPpi` at their printed size. */
  coarse: { image: string; ppi: number }[]
}

/**
 * The in-page expression that inspects the sheet as laid out at the printable width, giving its LayoutFindings: run
 * with the first measure for copy-fitting (fit-layout.ts), in the same message (the page's scripts stay off).
 */
export function inspection(minPpi: number): string {
  return `(${IN_PAGE})(${Number(minPpi)})`
}

// --- internal ---

/** In-page source text; built-ins through their prototypes, so nothing in the sheet can shadow them. */
const IN_PAGE = `(minPpi) => {
  const all = (selector) => Array.from(Document.prototype.querySelectorAll.call(document, selector))
  const get = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get
  const [scrollHeight, clientHeight, scrollWidth, clientWidth] = ['scrollHeight', 'clientHeight', 'scrollWidth', 'clientWidth'].map((name) => get(Element.prototype, name))
  const naturalWidth = get(HTMLImageElement.prototype, 'naturalWidth')
  const currentSrc = get(HTMLImageElement.prototype, 'currentSrc')
  const text = get(Node.prototype, 'textContent')
  const name = (element) => {
    const classes = Element.prototype.getAttribute.call(element, 'class')
    const words = (text.call(element) || '').replace(/\\s+/g, ' ').trim()
    return element.localName + (classes ? '.' + classes.trim().split(/\\s+/).join('.') : '') + (words ? ' ("' + words.slice(0, 40) + (words.length > 40 ? '…' : '') + '")' : '')
  }
  const clipped = []
  for (const element of all('body *')) {
    const style = getComputedStyle(element)
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue
    const over = scrollHeight.call(element) > clientHeight.call(element) + 1 || scrollWidth.call(element) > clientWidth.call(element) + 1
    if (over && (text.call(element) || '').trim()) clipped.push(name(element))
  }
  const coarse = []
  for (const image of all('img')) {
    const src = currentSrc.call(image) || ''
    if (src.startsWith('data:image/svg')) continue
    const inches = Element.prototype.getBoundingClientRect.call(image).width / 96
    const ppi = inches > 0 ? Math.round(naturalWidth.call(image) / inches) : 0
    if (ppi > 0 && ppi < minPpi) coarse.push({ image: Element.prototype.getAttribute.call(image, 'alt') || 'an image', ppi })
  }
  return { clipped, coarse }
}`
