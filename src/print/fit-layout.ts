/** Measures a loaded sheet for fitting: its height laid out at the page's width, and where its break candidates sit. */
import type { Page } from 'puppeteer-core'
import type { Layout } from './fit.ts'
import type { PageBox } from './page-box.ts'

/**
 * Lays the page out at the printable width in print media, sets the step's custom properties on the root element
 * (and `break-before: page` on candidate `breakAt`), and measures; then evaluates `alongside` (another in-page
 * expression, such as the layout preflight) in the same message, and waits for the fonts the layout loads. `before`:
 * an in-page promise to await first (the body swap of loadDocument()). The page's own scripts stay off: this runs as the
 * DevTools protocol's evaluation, reaching the DOM only through the prototypes, so nothing in the sheet can shadow it.
 */
export async function measureLayout(
  page: Page,
  box: PageBox,
  set: Record<string, string>,
  breaks: readonly string[],
  breakAt?: number,
  { alongside, before }: { alongside?: string; before?: string } = {},
): Promise<{ layout: Layout; alongside: unknown }> {
  await layOutForPrint(page, box)
  const measure = `(${IN_PAGE})(${JSON.stringify(set)}, ${JSON.stringify(breaks)}, ${breakAt ?? -1}, true)`
  // The fonts the layout asked for are waited for, as page.pdf() waits before printing: a print follows a measure.
  const both = `(async () => { ${before ? `await ${before};` : ''} const both = [${measure}, ${alongside ?? 'null'}]; await ${FONTS_READY}; return both })()`
  const [layout, other] = (await page.evaluate(both)) as [Layout, unknown]
  return { layout, alongside: other }
}

/** Sets the step's properties (and the page break) as measureLayout() does, without laying the page out to measure it. */
export async function setLayout(page: Page, set: Record<string, string>, breaks: readonly string[], breakAt?: number): Promise<void> {
  await page.evaluate(`(${IN_PAGE})(${JSON.stringify(set)}, ${JSON.stringify(breaks)}, ${breakAt ?? -1}, false)`)
}

/** Lays the page out for measuring: print media, as wide as the printable area (kept for the page's next sheets). */
export async function layOutForPrint(page: Page, box: PageBox): Promise<void> {
  const width = Math.round(box.width)
  if (page.viewport()?.width === width) return
  await page.emulateMediaType('print')
  await page.setViewport({ width, height: Math.round(box.height) })
}

/** Waits for the document's fonts, reached through the prototypes (an element named "fonts" would shadow document.fonts). */
export const FONTS_READY = `Object.getOwnPropertyDescriptor(FontFaceSet.prototype, 'ready').get.call(Object.getOwnPropertyDescriptor(Document.prototype, 'fonts').get.call(document))`

// --- internal ---

/**
 * The in-page measurement, as source text so that no compiler helper leaks into it. Built-ins are reached through
 * their prototypes; a selector the browser does not understand matches nothing. A block inside columns gets -1: Chromium
 * does not break the page inside a multi-column box, so it cannot be a break.
 */
const IN_PAGE = `(set, selectors, breakAt, measure) => {
  const all = (selector) => { try { return Array.from(Document.prototype.querySelectorAll.call(document, selector)) } catch { return [] } }
  const styleGetter = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'style').get
  const styleOf = (element) => (element instanceof HTMLElement ? styleGetter.call(element) : undefined)
  const rect = (element) => Element.prototype.getBoundingClientRect.call(element)
  const root = all('html')[0]
  const rootStyle = styleOf(root)
  for (const name of Array.from(rootStyle)) if (name.startsWith('--')) rootStyle.removeProperty(name)
  for (const [name, value] of Object.entries(set)) rootStyle.setProperty(name, value)
  for (const element of all('[data-fit-break]')) {
    styleOf(element)?.removeProperty('break-before')
    Element.prototype.removeAttribute.call(element, 'data-fit-break')
  }
  const candidates = []
  for (const selector of selectors) for (const element of all(selector)) if (!candidates.includes(element)) candidates.push(element)
  candidates.sort((a, b) => (Node.prototype.compareDocumentPosition.call(a, b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
  const target = candidates[breakAt]
  if (target) {
    styleOf(target)?.setProperty('break-before', 'page')
    Element.prototype.setAttribute.call(target, 'data-fit-break', '')
  }
  if (!measure) return null
  const top = rect(root).top
  const inColumns = (element) => {
    for (let up = element.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up)
      if (style.columnCount !== 'auto' || style.columnWidth !== 'auto') return true
    }
    return false
  }
  const flowTop = (element) => (inColumns(element) ? -1 : rect(element).top - top)
  // The body's bottom padding keeps the footer band free on every printed page (box-decoration-break: clone); laid out
  // as one long page it is counted once, and the page box already leaves the band out.
  const footerRoom = parseFloat(getComputedStyle(document.body).paddingBottom) || 0
  return { height: rect(root).height - footerRoom, breaks: candidates.map(flowTop) }
}`
