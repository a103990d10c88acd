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

/** A printed document's language, title, CSS and body class. */
export interface PageShell {
  lang: string
  title: string
  css: string
  bodyClass?: string
}

/**
 * Wraps a rendered body in the document shell every printed page shares: language, title, the theme's CSS, and a
 * Content-Security-Policy that lets nothing load but inline styles and data: fonts and images.
 */
export function renderDocument(body: string, page: PageShell): string {
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'">
<title>${escapeHtml(page.title)}</title>
<style>
${page.css}
</style>
</head>
<body${page.bodyClass ? ` class="${escapeHtml(page.bodyClass)}"` : ''}>
${body}
</body>
</html>
`
}
