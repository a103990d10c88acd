/** templates/<name>/ → Theme: tokens validated, CSS and fonts prepared and templates compiled once per build. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { parseDocument } from 'yaml'
import { describeValue, SheetError } from '../core/errors.ts'
import { cssString, findInside, fontFaceCss, fontPackageVersion, imageDataUrl, inlineCssUrls } from './assets.ts'
import { sha256 } from '../output/write.ts'
import { checkContrast, readThemeChain, rel, resolveTokens, type ThemeLayer } from './tokens.ts'
import type { ThemeTokens } from './schema.ts'
import { renderMarkdown } from '../core/markdown.ts'

/** A programme blurb shipped with a theme (programmes/<key>.md). */
export interface Programme {
  key: string
  /** Full name, such as "The Migration Partnership Facility". */
  name: string
  /** Short name used in sentences, such as "MPF". */
  short: string
  /** The blurb as sanitised HTML. */
  html: string
}

/** A compiled template: call it with a SheetModel. */
export type SheetTemplate = (model: object) => string

/** Everything a theme needs to render sheets, prepared once per build. */
export interface Theme {
  name: string
  dir: string
  tokens: ThemeTokens
  /** Fonts, tokens as custom properties and sheet.css, with every file inlined. */
  css: string
  /** Templates by name (factsheet.hbs → factsheet). */
  templates: Map<string, SheetTemplate>
  programmes: Map<string, Programme>
  /** Data URLs of the theme's images, by path relative to the theme folder. */
  assets: Map<string, string>
  /** Every file the theme is made of, for input hashes. */
  files: string[]
  /** Problems that do not stop the build (large text below WCAG AA contrast). */
  warnings: { file: string; message: string }[]
}

/**
 * Loads and checks a theme: its theme.json and those it extends, merged; templates and partials (a derived theme's
 * file replaces the base's of the same name), CSS (base first, then derived), images, fonts and programmes.
 * Throws SheetError (ThemeInvalid, TemplateError) naming the file and line.
 */
export function loadTheme(templatesDir: string, name: string): Theme {
  const chain = readThemeChain(templatesDir, name)
  const tokens = resolveTokens(chain)
  const warnings = checkContrast(chain, tokens)
  const dirs = chain.map((layer) => layer.dir).reverse()
  const dir = dirs[0]
  const tokensFile = chain[chain.length - 1].file
  const assets = new Map<string, string>()
  const handlebars = Handlebars.create()
  registerHelpers(handlebars, assets, dir)
  for (const file of overlay(chain, 'partials', '.hbs')) {
    handlebars.registerPartial(path.basename(file, '.hbs'), compileFile(handlebars, file, assets, dirs) as Handlebars.Template)
  }
  const templates = new Map<string, SheetTemplate>()
  for (const file of overlay(chain, '.', '.hbs')) {
    templates.set(path.basename(file, '.hbs'), compileFile(handlebars, file, assets, dirs))
  }
  for (const mark of [...(tokens.logo ? [tokens.logo] : []), ...tokens.marks]) addAsset(assets, dirs, mark.image, tokensFile)
  const sheetCss = chain.flatMap((layer) => {
    const cssFile = path.join(layer.dir, 'sheet.css')
    if (!existsSync(cssFile)) return []
    return [inlineCssUrls(readFileSync(cssFile, 'utf8'), dirs, rel(cssFile))]
  })
  const css = [fontFaceCss(tokens, rel(tokensFile)), customProperties(tokens, assets), ...sheetCss].join('\n')
  const programmes = new Map<string, Programme>()
  for (const file of overlay(chain, 'programmes', '.md')) {
    const programme = loadProgramme(file)
    programmes.set(programme.key, programme)
  }
  return { name, dir, tokens, css, templates, programmes, assets, files: themeFiles(chain), warnings }
}

// --- internal ---

/** Every file of a theme chain that can change a sheet: tokens, templates, partials, CSS, programmes, images. */
export function themeFiles(chain: readonly ThemeLayer[]): string[] {
  const files: string[] = []
  for (const layer of chain) {
    files.push(layer.file, ...listFiles(layer.dir, '.hbs'), ...listFiles(path.join(layer.dir, 'partials'), '.hbs'))
    files.push(...listFiles(layer.dir, '.css'), ...listFiles(path.join(layer.dir, 'programmes'), '.md'), ...listFiles(path.join(layer.dir, 'assets')))
  }
  return files.sort()
}

/**
 * A hash of everything a theme is made of (its chain's files and its font packages' versions), without compiling it:
 * cheap enough to tell, for every build, whether sheets printed with it are still up to date.
 */
export function themeFingerprint(templatesDir: string, name: string): string {
  const chain = readThemeChain(templatesDir, name)
  const fonts = Object.values(resolveTokens(chain).fonts).map((font) => `${font.package}@${fontPackageVersion(font.package)}`)
  const files = themeFiles(chain).map((file) => `${path.relative(templatesDir, file)}\0${sha256(readFileSync(file))}`)
  return sha256([...fonts, ...files].join('\n'))
}

/** The files of a sub-folder across the chain, a derived theme's file replacing the base's of the same name. */
function overlay(chain: readonly ThemeLayer[], sub: string, ext: string): string[] {
  const byName = new Map<string, string>()
  for (const layer of chain) for (const file of listFiles(path.join(layer.dir, sub), ext)) byName.set(path.basename(file), file)
  return [...byName.values()]
}

function customProperties(tokens: ThemeTokens, assets: Map<string, string>): string {
  const lines = Object.entries(tokens.colors).map(([key, value]) => `  --color-${key}: ${value};`)
  for (const [role, font] of Object.entries(tokens.fonts)) lines.push(`  --font-${role}: ${JSON.stringify(font.family)};`)
  return `:root {\n${lines.join('\n')}\n}\n${pageBoxes(tokens, assets)}`
}

/**
 * The page box, and the footer band in its margin boxes: funders' marks bottom left and centre, page numbers
 * bottom right. Margin boxes repeat on every page without covering text; sheet.css styles them.
 */
function pageBoxes(tokens: ThemeTokens, assets: Map<string, string>): string {
  const pageNumber = tokens.text.pageNumber
    .split(/(\{page\}|\{pages\})/)
    .filter(Boolean)
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : cssString(part)))
    .join(' ')
  const slots = ['@bottom-left', '@bottom-center']
  const marks = tokens.marks
    .slice(0, slots.length)
    .map((mark, i) => `  ${slots[i]} { content: url(${cssString(assets.get(mark.image) ?? '')}) "  " ${cssString(mark.text)}; }`)
  return `@page {\n  size: ${tokens.page.size};\n  margin: ${tokens.page.margin};\n${marks.join('\n')}\n  @bottom-right { content: ${pageNumber}; }\n}`
}

function listFiles(dir: string, ext?: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && (!ext || entry.name.endsWith(ext)) && !entry.name.startsWith('.'))
    .map((entry) => path.join(dir, entry.name))
    .sort()
}

function addAsset(assets: Map<string, string>, dirs: readonly string[], name: string, from: string, line?: number): string {
  const known = assets.get(name)
  if (known) return known
  const file = findInside(dirs, name)
  const data = file ? imageDataUrl(file) : undefined
  if (!data) {
    throw new SheetError({
      code: 'TemplateError',
      message: `the image "${name}" is not an image file in the theme folder`,
      loc: { file: rel(from), line },
      hint: `add ${path.join(rel(dirs[0]), name)} (svg, png, jpg, gif or webp), or correct the name`,
    })
  }
  assets.set(name, data)
  return data
}

/** Compiles a template eagerly; unknown images, syntax errors and strict-mode misses name this file and line. */
function compileFile(handlebars: typeof Handlebars, file: string, assets: Map<string, string>, dirs: readonly string[]): SheetTemplate {
  const source = readFileSync(file, 'utf8')
  let ast: hbs.AST.Program
  try {
    ast = handlebars.parse(source)
  } catch (cause) {
    const line = /line (\d+)/.exec(String((cause as Error).message))?.[1]
    throw new SheetError({
      code: 'TemplateError',
      message: `template syntax: ${String((cause as Error).message)
        .split('\n')
        .pop()}`,
      loc: { file: rel(file), line: line ? Number(line) : undefined },
      cause,
    })
  }
  // Check every {{asset "..."}} now, so a missing image is an error with its line before any sheet is printed.
  new (class extends Handlebars.Visitor {
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      const name = (node.path as hbs.AST.PathExpression).original
      const param = node.params[0]
      if (name === 'asset' && param?.type === 'StringLiteral') addAsset(assets, dirs, (param as hbs.AST.StringLiteral).value, file, node.loc.start.line)
    }
  })().accept(ast)
  const template = handlebars.compile(source, { strict: true, noEscape: false, preventIndent: true })
  return (model: object) => {
    try {
      return template(model, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false })
    } catch (cause) {
      if (cause instanceof SheetError) throw cause
      const raw = String((cause as Error).message).replace(/ - \d+:\d+$/, '')
      const missing = /^"([^"]+)" not defined in/.exec(raw)?.[1]
      const message = missing ? `the sheet model has no field "${missing}" here` : raw
      const line = (cause as { lineNumber?: number }).lineNumber
      throw new SheetError({
        code: 'TemplateError',
        message: `template: ${message}`,
        loc: { file: rel(file), line },
        hint: 'use only fields of the sheet model (see docs/theming.md)',
        cause,
      })
    }
  }
}

function registerHelpers(handlebars: typeof Handlebars, assets: Map<string, string>, dir: string): void {
  handlebars.registerHelper('asset', (name: unknown) => {
    const data = typeof name === 'string' ? assets.get(name) : undefined
    if (data === undefined) throw new SheetError({ code: 'TemplateError', message: `asset ${describeValue(name)} was not prepared`, loc: { file: rel(dir) } })
    return data
  })
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)
}

function loadProgramme(file: string): Programme {
  const key = path.basename(file, '.md')
  const text = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n')
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text)
  const head = (match ? parseDocument(match[1], { schema: 'core' }).toJS() : {}) as Record<string, unknown> | null
  const name = typeof head?.name === 'string' ? head.name : key
  const short = typeof head?.short === 'string' ? head.short : key.toUpperCase()
  return { key, name, short, html: renderMarkdown(match ? match[2] : text, { baseDir: path.dirname(file) }).html }
}
