/** A theme's Handlebars templates and partials, compiled once in strict mode; every error names the template file and line. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { describeValue, SheetError } from '../core/errors.ts'
import { displayPath, findInside, imageDataUrl } from '../core/files.ts'

/** A compiled template: call it with a SheetModel (or a bundle's model). */
export type SheetTemplate = (model: object) => string

/** What compiling a theme's templates needs: its folders (derived first), the data: URLs of its images, the project folder. */
export interface TemplateContext {
  dirs: readonly string[]
  assets: Map<string, string>
  cwd: string
}

/** A Handlebars environment with the theme helpers: {{asset "assets/x.svg"}} (a data: URL) and {{#if (eq a b)}}. */
export function createHandlebars(context: TemplateContext): typeof Handlebars {
  const handlebars = Handlebars.create()
  handlebars.registerHelper('asset', (name: unknown) => {
    const data = typeof name === 'string' ? context.assets.get(name) : undefined
    if (data === undefined)
      throw new SheetError({ code: 'TemplateError', message: `asset ${describeValue(name)} was not prepared`, loc: { file: displayPath(context.dirs[0], context.cwd) } })
    return data
  })
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  return handlebars
}

/** Adds an image of the theme to its assets as a data: URL; an image that is not there is a TemplateError at `from`. */
export function addAsset(context: TemplateContext, name: string, from: string, line?: number): string {
  const known = context.assets.get(name)
  if (known) return known
  const file = findInside(context.dirs, name)
  const data = file ? imageDataUrl(file) : undefined
  if (!data) {
    throw new SheetError({
      code: 'TemplateError',
      message: `the image "${name}" is not an image file in the theme folder`,
      loc: { file: displayPath(from, context.cwd), line },
      hint: `add ${path.join(displayPath(context.dirs[0], context.cwd), name)} (svg, png, jpg, gif or webp), or correct the name`,
    })
  }
  context.assets.set(name, data)
  return data
}

/** Compiles a template eagerly; unknown images, syntax errors and strict-mode misses name this file and line. */
export function compileTemplate(handlebars: typeof Handlebars, file: string, context: TemplateContext): SheetTemplate {
  const source = readFileSync(file, 'utf8')
  const shown = displayPath(file, context.cwd)
  let ast: hbs.AST.Program
  try {
    ast = handlebars.parse(source)
  } catch (cause) {
    const message = String((cause as Error).message)
    const line = /line (\d+)/.exec(message)?.[1]
    throw new SheetError({ code: 'TemplateError', message: `template syntax: ${message.split('\n').pop()}`, loc: { file: shown, line: line ? Number(line) : undefined }, hint: SYNTAX_HINT, cause })
  }
  checkAssets(ast, file, context)
  const template = handlebars.compile(source, { strict: true, noEscape: false, preventIndent: true })
  return (model: object) => {
    try {
      return template(model, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false })
    } catch (cause) {
      if (cause instanceof SheetError) throw cause
      const raw = String((cause as Error).message).replace(/ - \d+:\d+$/, '')
      const missing = /^"([^"]+)" not defined in/.exec(raw)?.[1]
      const message = missing ? `the sheet model has no field "${missing}" here` : raw
      throw new SheetError({ code: 'TemplateError', message: `template: ${message}`, loc: { file: shown, line: (cause as { lineNumber?: number }).lineNumber }, cause })
    }
  }
}

// --- internal ---

const SYNTAX_HINT = 'close every {{#if}} and {{#each}} with {{/if}} and {{/each}}, and write fields as {{name}}'

/** Checks every {{asset "..."}} now, so a missing image is an error with its line before any sheet is printed. */
function checkAssets(ast: hbs.AST.Program, file: string, context: TemplateContext): void {
  new (class extends Handlebars.Visitor {
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      const name = (node.path as hbs.AST.PathExpression).original
      const param = node.params[0]
      if (name === 'asset' && param?.type === 'StringLiteral') addAsset(context, (param as hbs.AST.StringLiteral).value, file, node.loc.start.line)
    }
  })().accept(ast)
}
