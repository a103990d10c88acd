/** A theme's Handlebars templates and partials, compiled once in strict mode; every error names the template file and line. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { closest, describeValue, SheetError } from '../core/errors.ts'
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

/** A template file read and parsed once, for the checks and for compiling. */
export interface ParsedTemplate {
  file: string
  /** The file as messages show it. */
  shown: string
  /** As the parser gives it, before Handlebars strips the whitespace of standalone tags (which compile() does, once). */
  ast: hbs.AST.Program
}

/** Reads and parses a template; a syntax error names the file and line, and an unclosed block the line where it opens. */
export function readTemplate(handlebars: typeof Handlebars, file: string, cwd: string): ParsedTemplate {
  const shown = displayPath(file, cwd)
  return { file, shown, ast: parseTemplate(handlebars, readFileSync(file, 'utf8'), shown) }
}

/** Compiles a template eagerly; unknown images and strict-mode misses name this file and line. */
export function compileTemplate(handlebars: typeof Handlebars, parsed: ParsedTemplate, context: TemplateContext): SheetTemplate {
  const { file, shown, ast } = parsed
  checkAssets(ast, file, context)
  const template = handlebars.compile(ast, { strict: true, noEscape: false, preventIndent: true })
  return (model: object) => {
    try {
      return template(model, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false })
    } catch (cause) {
      if (cause instanceof SheetError) throw cause
      const raw = String((cause as Error).message).replace(/ - \d+:\d+$/, '')
      const missing = /^"([^"]+)" not defined in/.exec(raw)?.[1]
      const message = missing ? `the sheet model has no field "${missing}" here` : raw
      const hint = missing ? `use only fields of the sheet model (docs/theming.md, "The template model")${guessField(missing)}` : undefined
      throw new SheetError({ code: 'TemplateError', message: `template: ${message}`, loc: { file: shown, line: (cause as { lineNumber?: number }).lineNumber }, hint, cause })
    }
  }
}

/**
 * Checks a template once every partial is registered: a `{{> name}}` that no partial answers is a TemplateError at its
 * line (once per theme, not once per sheet); HTML fields printed with double braces (`{{lead}}`, which prints a
 * literal <p>) are returned as warnings.
 */
export function checkTemplate(handlebars: typeof Handlebars, parsed: ParsedTemplate): { file: string; message: string }[] {
  const { shown, ast } = parsed
  const partials = Object.keys(handlebars.partials)
  const inline = new Set<string>()
  const warnings: { file: string; message: string }[] = []
  new (class extends Handlebars.Visitor {
    override DecoratorBlock(node: hbs.AST.DecoratorBlock): void {
      const name = node.params[0]
      if (name?.type === 'StringLiteral') inline.add((name as hbs.AST.StringLiteral).value)
      super.DecoratorBlock(node)
    }
    override PartialStatement(node: hbs.AST.PartialStatement): void {
      checkPartial(node.name, node.loc.start.line)
    }
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      const name = node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : ''
      if (node.escaped && node.params.length === 0 && HTML_FIELDS.test(name)) {
        const message = `{{${name}}} holds HTML: in double braces it prints the tags as text (a literal <p>); write {{{${name}}}}`
        warnings.push({ file: `${shown}:${node.loc.start.line}`, message })
      }
    }
  })().accept(ast)
  return warnings

  function checkPartial(nameNode: hbs.AST.PathExpression | hbs.AST.SubExpression, line: number): void {
    if (nameNode.type !== 'PathExpression') return
    const name = (nameNode as hbs.AST.PathExpression).original
    if (name === '@partial-block' || partials.includes(name) || inline.has(name)) return
    const guess = closest(name, partials)
    throw new SheetError({
      code: 'TemplateError',
      message: `the partial "${name}" does not exist in this theme or the themes it extends`,
      loc: { file: shown, line },
      hint: guess ? `did you mean {{> ${guess}}}?` : `add partials/${name}.hbs to the theme (partials here: ${partials.join(', ') || 'none'})`,
    })
  }
}

// --- internal ---

/** Model fields that hold sanitised HTML and belong in triple braces. */
const HTML_FIELDS = /^(?:lead|sections|programme\.html|html)$|\.html$/

function parseTemplate(handlebars: typeof Handlebars, source: string, shown: string): hbs.AST.Program {
  try {
    return handlebars.parseWithoutProcessing(source)
  } catch (cause) {
    const message = String((cause as Error).message)
    const open = /got 'EOF'/.test(message) ? unclosedBlock(source) : undefined
    if (open) {
      const hint = `add {{/${open.name}}} where the block ends`
      throw new SheetError({ code: 'TemplateError', message: `{{#${open.name}}} opened on line ${open.line} is never closed`, loc: { file: shown, line: open.line }, hint, cause })
    }
    const line = /line (\d+)/.exec(message)?.[1]
    throw new SheetError({ code: 'TemplateError', message: `template syntax: ${message.split('\n').pop()}`, loc: { file: shown, line: line ? Number(line) : undefined }, hint: SYNTAX_HINT, cause })
  }
}

/** The innermost block ({{#if}}, {{#each}}…) still open at the end of the source, with its line. */
function unclosedBlock(source: string): { name: string; line: number } | undefined {
  const stack: { name: string; line: number }[] = []
  const text = source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}/g, (comment) => comment.replace(/[^\n]/g, ' '))
  for (const match of text.matchAll(/\{\{~?\s*([#/])>?\s*([\w.-]+)/g)) {
    const line = text.slice(0, match.index).split('\n').length
    if (match[1] === '#') stack.push({ name: match[2], line })
    else if (stack.length > 0 && stack[stack.length - 1].name === match[2]) stack.pop()
  }
  return stack.pop()
}

/** ", such as title" when a model field is close to the missing one. */
function guessField(missing: string): string {
  const guess = closest(missing, MODEL_FIELDS)
  return guess ? `; did you mean "${guess}"?` : ''
}

const MODEL_FIELDS = ['id', 'lang', 'dir', 'title', 'subtitle', 'status', 'programme', 'implementer', 'beneficiary', 'partners', 'countries', 'countriesText', 'period', 'budget', 'lead', 'sections', 'text', 'logo', 'marks', 'keywords', 'facts', 'warnings', 'label', 'key', 'name', 'short', 'html', 'lines', 'totals', 'showTotals', 'amount', 'currency', 'fund', 'src']

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
