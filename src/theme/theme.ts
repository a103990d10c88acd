/** templates/<name>/ → Theme: tokens validated, CSS and fonts prepared, programmes read and templates compiled once per build. */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import Handlebars from 'handlebars'
import { displayPath } from '../core/files.ts'
import { fontFaceCss, inlineCssUrls } from './assets.ts'
import { fingerprintFiles, overlay, themeFiles } from './files.ts'
import { checkTokenNames } from './keys.ts'
import { loadLanguages, marginSides, type Language } from './languages.ts'
import { loadProgramme, type Programme } from './programmes.ts'
import type { ThemeTokens } from './schema.ts'
import { addAsset, checkTemplate, compileTemplate, createHandlebars, readTemplate, type SheetTemplate, type TemplateContext } from './templates.ts'
import { checkContrast, readThemeChain, resolveTokens, type ThemeLayer, type ThemeWarning } from './tokens.ts'

export type { Programme } from './programmes.ts'
export type { SheetTemplate } from './templates.ts'
export type { Language } from './languages.ts'

/** Everything a theme needs to render sheets, prepared once per build. */
export interface Theme {
  name: string
  dir: string
  tokens: ThemeTokens
  /** Fonts, tokens as custom properties and sheet.css, with every file inlined; a sheet adds its language's CSS (Language.css). */
  css: string
  /** The languages the theme words sheets in (words/<lang>.json; English always), by tag. */
  languages: ReadonlyMap<string, Language>
  /** Templates by name (factsheet.hbs → factsheet). */
  templates: Map<string, SheetTemplate>
  /** Programme blurbs by key (programmes/<key>.md). */
  programmes: Map<string, Programme>
  /** Their translations by key and language, "mpf.fr" (programmes/<key>.<lang>.md). */
  programmeTranslations: Map<string, Programme>
  /** The files the printing browser is served from memory, by URL (the fonts: see ASSET_ORIGIN). */
  served: ReadonlyMap<string, string>
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
  const templates = compileTemplates(chain, context, warnings)
  const tokensFile = chain[chain.length - 1].file
  for (const mark of [...(tokens.logo ? [tokens.logo] : []), ...tokens.marks]) addAsset(context, mark.image, tokensFile)
  // figures.css (map and chart) sits beside sheet.css so each can change without touching the other.
  const sheetCss = CSS_FILES.flatMap((name) =>
    chain.flatMap((layer) => {
      const cssFile = path.join(layer.dir, name)
      return existsSync(cssFile) ? [inlineCssUrls(readFileSync(cssFile, 'utf8'), context.dirs, displayPath(cssFile, cwd))] : []
    }),
  )
  const fonts = fontFaceCss(tokens.fonts, displayPath(tokensFile, cwd))
  const css = [fonts.css, customProperties(tokens), ...sheetCss].join('\n')
  const languages = loadLanguages(chain, tokens, cwd)
  const served = new Map([...fonts.files, ...[...languages.values()].flatMap((language) => [...language.served])])
  warnings.push(...checkTokenNames(chain, tokens, [...sheetCss, ...templateSources(chain)].join('\n')))
  const programmes = new Map<string, Programme>()
  const programmeTranslations = new Map<string, Programme>()
  for (const file of overlay(chain, 'programmes', '.md')) {
    const programme = loadProgramme(file, cwd)
    const [key, lang] = programme.key.split('.')
    if (lang) programmeTranslations.set(programme.key, { ...programme, key })
    else programmes.set(key, programme)
  }
  const files = themeFiles(chain)
  return { name, dir: context.dirs[0], tokens, css, languages, served, templates, programmes, programmeTranslations, assets: context.assets, files, fingerprint: fingerprintFiles(templatesDir, tokens, files), warnings }
}

// --- internal ---

/** A theme's CSS files, in the order they apply (each base first, then derived). */
const CSS_FILES = ['sheet.css', 'figures.css']

function compileTemplates(chain: readonly ThemeLayer[], context: TemplateContext, warnings: ThemeWarning[]): Map<string, SheetTemplate> {
  const handlebars = createHandlebars(context)
  // Each file is parsed once: the same tree is checked and compiled.
  const partials = overlay(chain, 'partials', '.hbs').map((file) => readTemplate(handlebars, file, context.cwd))
  for (const parsed of partials) {
    handlebars.registerPartial(path.basename(parsed.file, '.hbs'), compileTemplate(handlebars, parsed, context) as Handlebars.Template)
  }
  const templates = new Map<string, SheetTemplate>()
  const files = overlay(chain, '.', '.hbs').map((file) => readTemplate(handlebars, file, context.cwd))
  for (const parsed of files) templates.set(path.basename(parsed.file, '.hbs'), compileTemplate(handlebars, parsed, context))
  for (const parsed of [...files, ...partials]) warnings.push(...checkTemplate(handlebars, parsed))
  return templates
}

function customProperties(tokens: ThemeTokens): string {
  const lines = Object.entries(tokens.colors).map(([key, value]) => `  --color-${key}: ${value};`)
  for (const [role, font] of Object.entries(tokens.fonts)) lines.push(`  --font-${role}: ${JSON.stringify(font.family)};`)
  const { markHeight, gap, pageNumberWidth } = tokens.footer
  lines.push(`  --footer-height: ${bottomMargin(tokens.page.margin)};`, `  --footer-mark-height: ${markHeight};`, `  --footer-gap: ${gap};`)
  lines.push(`  --footer-page-number-width: ${pageNumberWidth};`)
  // Each mark's size and colour as properties of its box (tokens, checked by the schema): no style attributes in a sheet.
  const marks = tokens.marks.map((mark, i) => `.footer-mark-${i} { --mark-height: ${mark.height ?? 'var(--footer-mark-height)'}; --mark-color: var(--color-${mark.color ?? 'primary'}); }`)
  return `:root {\n${lines.join('\n')}\n}\n${marks.join('\n')}`
}

function bottomMargin(margin: string): string {
  return marginSides(margin)[2]
}

/** The text of every template and partial of the chain (for var(--color-…) used in inline styles). */
function templateSources(chain: readonly ThemeLayer[]): string[] {
  return [...overlay(chain, '.', '.hbs'), ...overlay(chain, 'partials', '.hbs')].map((file) => readFileSync(file, 'utf8'))
}
