/** Theme files as the browser gets them: fonts from npm and images inlined as data: URLs, so a page loads nothing. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import postcss from 'postcss'
import { readCached, writeCached } from '../core/disk-cache.ts'
import { SheetError } from '../core/errors.ts'
import { findInside, imageDataUrl } from '../core/files.ts'
import { ASSET_ORIGIN } from '../core/html.ts'
import { PACKAGE_ROOT } from '../core/version.ts'
import type { ThemeTokens } from './schema.ts'

/** The @fontsource subsets a sheet may need; each face is declared with its unicode-range, so a page fetches only what its text uses. */
export const FONT_SUBSETS: readonly string[] = ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese', 'arabic', 'hebrew']

/** A theme's fonts: the @font-face rules, and the file behind each URL they name (served to the browser from memory). */
export interface ThemeFonts {
  css: string
  files: Map<string, string>
}

/**
 * @font-face rules for a theme's fonts from their @fontsource packages: every subset of `subsets` (FONT_SUBSETS) the package ships,
 * with its unicode-range, each file under a stable URL of ASSET_ORIGIN (package, version and file name).
 */
export function fontFaceCss(fonts: ThemeTokens['fonts'], themeFile: string, field = 'fonts', subsets: readonly string[] = FONT_SUBSETS): ThemeFonts {
  const dirs = Object.entries(fonts).map(([role, font]) => packageDir(font.package, themeFile, `${field}.${role}`))
  // The same fonts of the same packages give the same rules: kept on disk once made (core/disk-cache.ts).
  const key = JSON.stringify([fonts, subsets, dirs, Object.values(fonts).map((font) => fontPackageVersion(font.package))])
  const kept = readCached('font-faces', key)
  if (kept !== undefined) {
    const { css, files } = JSON.parse(kept) as { css: string; files: [string, string][] }
    return { css, files: new Map(files) }
  }
  const rules: string[] = []
  const files = new Map<string, string>()
  for (const [index, [role, font]] of Object.entries(fonts).entries()) {
    const dir = dirs[index]
    const base = `${ASSET_ORIGIN}/fonts/${font.package}@${fontPackageVersion(font.package)}/`
    for (const weight of font.weights) {
      for (const style of font.italic ? ['normal', 'italic'] : ['normal']) {
        const cssFile = path.join(dir, `${weight}${style === 'italic' ? '-italic' : ''}.css`)
        let css: string
        try {
          css = readFileSync(cssFile, 'utf8')
        } catch {
          throw new SheetError({
            code: 'ThemeInvalid',
            message: `font ${font.package} has no weight ${weight}${style === 'italic' ? ' italic' : ''}`,
            loc: { file: themeFile },
            field: `${field}.${role}.weights`,
            hint: `list only weights ${font.package} ships: ${shippedWeights(dir)}`,
          })
        }
        rules.push(...fontFaces(css, { dir, family: font.family, base, files, subsets }))
      }
    }
  }
  writeCached('font-faces', key, JSON.stringify({ css: rules.join('\n'), files: [...files] }))
  return { css: rules.join('\n'), files }
}

/**
 * A printed document made self-contained (for --html): each @font-face of ASSET_ORIGIN whose unicode-range the
 * document's text touches gets its file inlined as a data: URL; the others are left out. Its policy then allows
 * data: fonts only.
 */
export function inlineFonts(html: string, files: ReadonlyMap<string, string>): string {
  const used = new Set<number>()
  for (const char of html) used.add(char.codePointAt(0)!)
  return html.replace(`font-src data: ${ASSET_ORIGIN}`, 'font-src data:').replace(/@font-face\s*\{[^}]*\}\n?/g, (rule) => {
    const url = /url\(([^)]+)\)/.exec(rule)?.[1]
    const file = url === undefined ? undefined : files.get(url)
    if (file === undefined) return rule
    if (!touches(rule, used)) return ''
    return rule.replace(url!, `data:font/woff2;base64,${readFileSync(file).toString('base64')}`)
  })
}

/** The package.json of an installed font package, or undefined when it is not installed. */
export function fontPackageFile(name: string): string | undefined {
  // Where Node's resolution finds it from src/ and dist/ alike, looked at first (resolving costs a millisecond a package).
  const direct = path.join(PACKAGE_ROOT, 'node_modules', name, 'package.json')
  if (/^@fontsource(-variable)?\/[a-z0-9-]+$/.test(name) && existsSync(direct)) return direct
  try {
    return requireFromHere.resolve(`${name}/package.json`)
  } catch {
    return undefined
  }
}

/** The installed version of a font package ("5.3.1"), or "missing". */
export function fontPackageVersion(name: string): string {
  const file = fontPackageFile(name)
  if (file === undefined) return 'missing'
  const known = versions.get(file)
  if (known !== undefined) return known
  try {
    const version = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    versions.set(file, version)
    return version
  } catch {
    return 'missing'
  }
}

const versions = new Map<string, string>()

/** Rewrites url(...) references in theme CSS to data: URLs of files inside the theme; other URLs are an error. */
export function inlineCssUrls(css: string, themeDirs: readonly string[], cssFile: string): string {
  const root = postcss.parse(css, { from: cssFile })
  root.walkDecls((decl) => {
    if (!decl.value.includes('url(')) return
    decl.value = decl.value.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (whole, _quote, ref: string) => {
      if (ref.startsWith('data:')) return whole
      const file = findInside(themeDirs, ref)
      const data = file && imageDataUrl(file)
      if (!data) {
        throw new SheetError({
          code: 'ThemeInvalid',
          message: `url(${ref}) is not an image file inside the theme folder`,
          loc: { file: cssFile, line: decl.source?.start?.line },
          hint: "put the image under the theme's assets/ folder and refer to it as url(assets/name.svg)",
        })
      }
      return `url("${data}")`
    })
  })
  root.walkAtRules('import', (rule) => {
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `@import ${rule.params} is not allowed: a sheet loads no other files`,
      loc: { file: cssFile, line: rule.source?.start?.line },
      hint: 'copy the rules into sheet.css',
    })
  })
  return root.toString()
}

// --- internal ---

const requireFromHere = createRequire(import.meta.url)

function packageDir(name: string, themeFile: string, role: string): string {
  const file = fontPackageFile(name)
  if (file === undefined) {
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `font package ${name} is not installed`,
      loc: { file: themeFile },
      field: `${role}.package`,
      hint: `run npm install ${name}, or choose an installed @fontsource package`,
    })
  }
  return path.dirname(file)
}

interface FaceSource {
  dir: string
  family: string
  /** The subsets to declare (a script's fonts: only its script, so Latin text keeps the theme's fonts). */
  subsets: readonly string[]
  /** The URL folder of the package's files. */
  base: string
  files: Map<string, string>
}

function fontFaces(css: string, source: FaceSource): string[] {
  const faces: string[] = []
  const root = postcss.parse(css)
  root.walkAtRules('font-face', (rule) => {
    let src = ''
    rule.walkDecls('src', (decl) => {
      src = decl.value
    })
    const woff2 = /url\(\.?\/?(files\/[^)]+\.woff2)\)/.exec(src)?.[1]
    const subset = woff2 && /-([a-z]+(?:-ext)?)-\d+-(?:normal|italic)\.woff2$/.exec(woff2)?.[1]
    if (!woff2 || !subset || !source.subsets.includes(subset)) return
    const url = `${source.base}${path.basename(woff2)}`
    source.files.set(url, path.join(source.dir, woff2))
    rule.walkDecls((decl) => {
      if (decl.prop === 'src') decl.value = `url(${url}) format('woff2')`
      if (decl.prop === 'font-family') decl.value = JSON.stringify(source.family)
      // The file is answered from memory: block until it is loaded so that no fallback font is ever printed.
      if (decl.prop === 'font-display') decl.value = 'block'
    })
    faces.push(rule.toString())
  })
  return faces
}

/** True when a face's unicode-range (all of Unicode when it has none) holds one of the code points. */
function touches(rule: string, used: ReadonlySet<number>): boolean {
  const range = /unicode-range:\s*([^;}]+)/.exec(rule)?.[1]
  if (!range) return true
  return range.split(',').some((part) => {
    const [from, to = from] = part.trim().replace(/^U\+/i, '').split('-')
    const low = Number.parseInt(from.replace(/\?/g, '0'), 16)
    const high = Number.parseInt(to.replace(/\?/g, 'F'), 16)
    for (const code of used) if (code >= low && code <= high) return true
    return false
  })
}

/** The weights a @fontsource package has files for ("400, 500, 600, 700"): a hint names them, not the package's folder. */
function shippedWeights(dir: string): string {
  const weights = readdirSync(dir).flatMap((name) => /^(\d{3})\.css$/.exec(name)?.[1] ?? [])
  return weights.sort().join(', ') || 'none'
}
