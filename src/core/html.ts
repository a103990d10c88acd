/** The HTML every printed document shares: escaping, CSS strings, the locked-down page shell and page numbers. */

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** Writes a value as a CSS string literal that no record text can break out of. */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"\n\r\f<>]/g, (char) => `\\${char.charCodeAt(0).toString(16)} `)}"`
}

/**
 * A page-number pattern ("Page {page} of {pages}") as CSS `content`: {page} is the page counter, {pages} the count of
 * pages, or a fixed total when the document is one part of a larger one (a bundle's cover and contents).
 */
export function pageNumberContent(pattern: string, total?: number): string {
  return pattern
    .split(/(\{page\}|\{pages\})/)
    .filter(Boolean)
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? (total === undefined ? 'counter(pages)' : cssString(String(total))) : cssString(part)))
    .join(' ')
}

/** A page's language, title, CSS and body, and what the screen pages add (viewport, policy, script, nonce). */
export interface PageShell {
  lang: string
  /** The writing direction: rtl for Arabic; default ltr (no attribute). */
  dir?: 'ltr' | 'rtl'
  title: string
  css: string
  bodyClass?: string
  /** A Content-Security-Policy in the page itself (printed pages and the catalogue; the preview sends a header). */
  csp?: string
  /** For pages read on screens: width=device-width. */
  viewport?: boolean
  /** An inline script at the end of the body. */
  script?: string
  /** The nonce of the inline style and script (the preview's per-response nonce). */
  nonce?: string
}

/**
 * The origin the printing browser gets theme fonts from: answered from memory by the page's request interception
 * (print/locked-page.ts), never from the network (.invalid is reserved, RFC 2606). Stable URLs let Chromium keep a
 * font decoded across the sheets a page prints instead of decoding it again for each one.
 */
export const ASSET_ORIGIN = 'https://factsheets.invalid'

/** The Content-Security-Policy of every printed document: nothing loads but inline styles, data: images and the theme's fonts. */
export const PRINT_CSP = `default-src 'none'; img-src data:; font-src data: ${ASSET_ORIGIN}; style-src 'unsafe-inline'`

/** The one HTML page shell: the printed sheets and bundles, the catalogue and the preview pages. */
export function htmlPage(body: string, page: PageShell): string {
  const nonce = page.nonce === undefined ? '' : ` nonce="${page.nonce}"`
  const head = [
    '<meta charset="utf-8">',
    page.viewport ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : '',
    page.csp ? `<meta http-equiv="Content-Security-Policy" content="${page.csp}">` : '',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style${nonce}>\n${page.css}\n</style>`,
  ]
  const script = page.script === undefined ? '' : `<script${nonce}>${page.script}</script>\n`
  const bodyClass = page.bodyClass ? ` class="${escapeHtml(page.bodyClass)}"` : ''
  const dir = page.dir === 'rtl' ? ' dir="rtl"' : ''
  return `<!DOCTYPE html>\n<html lang="${escapeHtml(page.lang)}"${dir}>\n<head>\n${head.filter(Boolean).join('\n')}\n</head>\n<body${bodyClass}>\n${body}\n${script}</body>\n</html>\n`
}

/** A printed document (a sheet, a bundle's cover and contents): the page shell with the print policy. */
export function renderDocument(body: string, page: Pick<PageShell, 'lang' | 'dir' | 'title' | 'css' | 'bodyClass'>): string {
  return htmlPage(body, { ...page, csp: PRINT_CSP })
}
