/** Stage 4: SheetModel + Theme → one self-contained HTML document (fonts and images inlined, no scripts). */
import { SheetError } from '../core/errors.ts'
import type { SheetModel } from './model.ts'
import type { Theme } from '../theme/theme.ts'

/** The template a record gets when it names none. */
export const DEFAULT_TEMPLATE = 'factsheet'

/**
 * Renders a sheet's HTML: the theme's template for the body, inside a document shell whose
 * Content-Security-Policy lets nothing load but inline styles and data: fonts and images.
 */
export function renderHtml(model: SheetModel, theme: Theme, templateName = DEFAULT_TEMPLATE): string {
  const template = theme.templates.get(templateName)
  if (!template) {
    throw new SheetError({
      code: 'TemplateError',
      message: `theme "${theme.name}" has no template "${templateName}"`,
      hint: `templates of this theme: ${[...theme.templates.keys()].join(', ') || 'none'}`,
    })
  }
  return renderDocument(template(model), { lang: model.lang, title: model.title, css: theme.css, bodyClass: `status-${model.status.key}` })
}

/**
 * Wraps a rendered body in the document shell every printed page shares: language, title, the theme's CSS, and a
 * Content-Security-Policy that lets nothing load but inline styles and data: fonts and images.
 */
export function renderDocument(body: string, page: { lang: string; title: string; css: string; bodyClass?: string }): string {
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

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
