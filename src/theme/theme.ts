/** templates/<name>/ → Theme: tokens validated, CSS and fonts prepared, programmes read and templates compiled once per build. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { displayPath } from '../core/files.ts'
import { cssString, pageNumberContent } from '../core/html.ts'
import { fontFaceCss, inlineCssUrls } from './assets.ts'
import { fingerprintFiles, overlay, themeFiles } from './files.ts'
import { loadProgramme, type Programme } from './programmes.ts'
import type { ThemeTokens } from './schema.ts'
import { addAsset, compileTemplate, createHandlebars, type SheetTemplate, type TemplateContext } from './templates.ts'
import { checkContrast, readThemeChain, resolveTokens, type ThemeLayer, type ThemeWarning } from './tokens.ts'

export type { Programme } from './programmes.ts'
export type { SheetTemplate } from './templates.ts'

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
  /** Every file the theme is made of. */
  files: string[]
  /** Hash of those files and of the font packages' versions (themeFingerprint): what input hashes use. */
  fingerprint: string
  /** Problems that do not stop the build (large text below WCAG AA contrast). */
  warnings: ThemeWarning[]
}

/**
 * Loads and checks a theme: its theme.json and those it extends, merged; templates and partials (a derived theme's
 * file replaces the base's of the same name), CSS (base first, then derived), images, fonts and programmes. Files are
 * named relative to `cwd` in messages. Throws SheetError (ThemeNotFound, ThemeInvalid, TemplateError) naming the file and line.
 */
export function loadTheme(templatesDir: string, name: string, cwd: string): Theme {
  const chain = readThemeChain(templatesDir, name, cwd)
  const tokens = resolveTokens(chain)
  const warnings = checkContrast(chain, tokens)
  const context: TemplateContext = { dirs: chain.map((layer) => layer.dir).reverse(), assets: new Map(), cwd }
  const templates = compileTemplates(chain, context)
  const tokensFile = chain[chain.length - 1].file
  for (const mark of [...(tokens.logo ? [tokens.logo] : []), ...tokens.marks]) addAsset(context, mark.image, tokensFile)
  // figures.css (map and chart) sits beside sheet.css so each can change without touching the other.
  const sheetCss = CSS_FILES.flatMap((name) =>
    chain.flatMap((layer) => {
      const cssFile = path.join(layer.dir, name)
      return existsSync(cssFile) ? [inlineCssUrls(readFileSync(cssFile, 'utf8'), context.dirs, displayPath(cssFile, cwd))] : []
    }),
  )
  const css = [fontFaceCss(tokens, displayPath(tokensFile, cwd)), customProperties(tokens, context.assets), ...sheetCss].join('\n')
  const programmes = new Map<string, Programme>()
  for (const file of overlay(chain, 'programmes', '.md')) {
    const programme = loadProgramme(file, cwd)
    programmes.set(programme.key, programme)
  }
  const files = themeFiles(chain)
  return { name, dir: context.dirs[0], tokens, css, templates, programmes, assets: context.assets, files, fingerprint: fingerprintFiles(templatesDir, tokens, files), warnings }
}

// --- internal ---

/** A theme's CSS files, in the order they apply (each base first, then derived). */
const CSS_FILES = ['sheet.css', 'figures.css']

function compileTemplates(chain: readonly ThemeLayer[], context: TemplateContext): Map<string, SheetTemplate> {
  const handlebars = createHandlebars(context)
  for (const file of overlay(chain, 'partials', '.hbs')) {
    handlebars.registerPartial(path.basename(file, '.hbs'), compileTemplate(handlebars, file, context) as Handlebars.Template)
  }
  const templates = new Map<string, SheetTemplate>()
  for (const file of overlay(chain, '.', '.hbs')) templates.set(path.basename(file, '.hbs'), compileTemplate(handlebars, file, context))
  return templates
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
  const slots = ['@bottom-left', '@bottom-center']
  const marks = tokens.marks
    .slice(0, slots.length)
    .map((mark, i) => `  ${slots[i]} { content: url(${cssString(assets.get(mark.image) ?? '')}) "  " ${cssString(mark.text)}; }`)
  const pageNumber = pageNumberContent(tokens.text.pageNumber)
  return `@page {\n  size: ${tokens.page.size};\n  margin: ${tokens.page.margin};\n${marks.join('\n')}\n  @bottom-right { content: ${pageNumber}; }\n}`
}
