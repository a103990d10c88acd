/** Every planned sheet rendered to HTML without a browser, so that template errors are found before printing, once each. */
import { SheetError } from '../core/errors.ts'
import { buildModel, type SheetModel } from './model.ts'
import { renderHtml } from './render-html.ts'
import type { PlannedSheet } from './resolve.ts'

/** A sheet's model and HTML as rendered (kept by the check for the print, which then need not render it again). */
export interface RenderedSheet {
  model: SheetModel
  html: string
}

/**
 * Renders each sheet's model through its template (no printing) and returns the template errors, each once however
 * many sheets hit it: a template error is the theme's, not the records'. Other errors are left to the print stage.
 * With `firstOfEach`, only the first sheet of each theme, template and language is rendered (what a build does before
 * printing: the others are rendered as they are printed).
 */
export function findTemplateErrors(
  sheets: readonly PlannedSheet[],
  options: { firstOfEach?: boolean; rendered?: Map<PlannedSheet, RenderedSheet> } = {},
): SheetError[] {
  const found = new Map<string, SheetError>()
  const rendered = new Set<string>()
  for (const sheet of sheets) {
    const group = `${sheet.theme.name}\0${sheet.template}\0${sheet.record.fields.lang ?? ''}`
    if (options.firstOfEach && rendered.has(group)) continue
    rendered.add(group)
    try {
      const model = buildModel(sheet.record, sheet.theme)
      const html = renderHtml(model, sheet.theme, sheet.template)
      options.rendered?.set(sheet, { model, html })
    } catch (cause) {
      if (!(cause instanceof SheetError) || cause.code !== 'TemplateError') continue
      const key = `${cause.loc?.file}:${cause.loc?.line}:${cause.message}`
      if (!found.has(key)) found.set(key, cause)
    }
  }
  return [...found.values()]
}
