/** Loads a sheet's HTML into a page: the whole document the first time, then only its body while the head stays the same. */
import type { Page } from 'puppeteer-core'

/** What loading did: the head the page now holds, and the body swap still to run when only the body changes. */
export interface Loaded {
  /** To pass back as `loaded` next time. */
  head: string | undefined
  /** An in-page expression (a promise) that swaps the body: the caller sends it ahead of its next in-page work. */
  swap?: string
}

/**
 * Loads `html` into the page. When the page already holds a document with the same head (the theme's styles and fonts,
 * the language, the page box; the title aside), only the body, the title and the root's attributes are replaced, in
 * the message that next measures or prints the page (one message fewer): the styles are not parsed again and the fonts
 * not decoded again. Images and fonts are waited for as a full load would; anything else is a full load, done now.
 */
export async function loadDocument(page: Page, html: string, loaded: string | undefined, timeoutMs: number): Promise<Loaded> {
  const parts = splitDocument(html)
  if (parts && parts.head === loaded) {
    return { head: loaded, swap: `(${SWAP_BODY})(${JSON.stringify(parts.rootTag)}, ${JSON.stringify(parts.title)}, ${JSON.stringify(parts.bodyTag)}, ${JSON.stringify(parts.body)})` }
  }
  await page.setContent(html, { waitUntil: 'load', timeout: timeoutMs })
  return { head: parts?.head }
}

// --- internal ---

/** A document as the templates write it: a head (the title cut out), the root and body start tags, the body's content. */
function splitDocument(html: string): { head: string; rootTag: string; title: string; bodyTag: string; body: string } | undefined {
  const headEnd = html.indexOf('</head>')
  const bodyStart = html.indexOf('<body', headEnd)
  const bodyTagEnd = html.indexOf('>', bodyStart)
  const bodyEnd = html.lastIndexOf('</body>')
  const titleStart = html.indexOf('<title>')
  const titleEnd = html.indexOf('</title>', titleStart)
  const rootStart = html.indexOf('<html')
  if ([headEnd, bodyStart, bodyTagEnd, bodyEnd, titleStart, titleEnd, rootStart].some((at) => at < 0) || titleEnd > headEnd || bodyEnd < bodyTagEnd) return undefined
  if (html.slice(bodyEnd).replace(/\s+/g, '') !== '</body></html>') return undefined
  return {
    head: html.slice(0, titleStart) + html.slice(titleEnd, bodyStart),
    rootTag: html.slice(rootStart, html.indexOf('>', rootStart) + 1),
    title: html.slice(titleStart + '<title>'.length, titleEnd),
    bodyTag: html.slice(bodyStart, bodyTagEnd + 1),
    body: html.slice(bodyTagEnd + 1, bodyEnd),
  }
}

/**
 * In the page (run by the DevTools protocol; the page's own scripts stay off), reaching the DOM through the prototypes
 * so that no element of the sheet can shadow what it uses: the start tags are parsed in an inert template and their
 * attributes copied, so the root loses what fitting set on it; the title is parsed as text, the body as HTML; then
 * images are decoded and fonts loaded, as the load event would have waited for.
 */
const SWAP_BODY = `async (rootTag, title, bodyTag, body) => {
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get
  const setInner = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML').set
  const call = (proto, name, target, ...args) => proto[name].call(target, ...args)
  const parse = (tag) => {
    const template = call(Document.prototype, 'createElement', document, 'template')
    setInner.call(template, tag.replace(/^<(html|body)/, '<div') + '</div>')
    return getter(DocumentFragment.prototype, 'firstElementChild').call(getter(HTMLTemplateElement.prototype, 'content').call(template))
  }
  const copy = (from, to) => {
    for (const name of call(Element.prototype, 'getAttributeNames', to)) call(Element.prototype, 'removeAttribute', to, name)
    for (const name of call(Element.prototype, 'getAttributeNames', from)) call(Element.prototype, 'setAttribute', to, name, call(Element.prototype, 'getAttribute', from, name))
  }
  copy(parse(rootTag), getter(Document.prototype, 'documentElement').call(document))
  const titleElement = call(Document.prototype, 'querySelector', document, 'head > title')
  if (titleElement) setInner.call(titleElement, title)
  const bodyElement = getter(Document.prototype, 'body').call(document)
  copy(parse(bodyTag), bodyElement)
  setInner.call(bodyElement, body)
  const images = Array.from(getter(Document.prototype, 'images').call(document))
  await Promise.all(images.map((image) => HTMLImageElement.prototype.decode.call(image).catch(() => {})))
  await getter(FontFaceSet.prototype, 'ready').call(getter(Document.prototype, 'fonts').call(document))
}`
