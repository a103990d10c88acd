/** Stage 4: SheetModel + Theme → one self-contained HTML document (fonts and images inlined, no scripts). */
import { SheetError } from '../core/errors.ts'
import { renderDocument } from '../core/html.ts'
import type { Theme } from '../theme/theme.ts'
import { sheetLanguage, type SheetModel } from './model.ts'
import { DEFAULT_TEMPLATE } from './resolve.ts'

/**
 * Renders a sheet's HTML: the theme's template for the body, inside the document shell whose Content-Security-Policy
 * lets nothing load but inline styles and data: fonts and images.
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
  const language = sheetLanguage(theme, model.lang)
  return renderDocument(template(model), { lang: model.lang, dir: model.dir, title: model.title, css: `${theme.css}\n${language.css}`, bodyClass: `status-${model.status.key}` })
}
