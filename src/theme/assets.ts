/** Theme files as the browser gets them: fonts from npm and images inlined as data: URLs, so a page loads nothing. */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import postcss from 'postcss'
import { SheetError } from '../core/errors.ts'
import type { ThemeTokens } from './schema.ts'

/** File types a theme or record may use as images, with their MIME types. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
}

/** Resolves a relative path inside a root folder, or returns undefined when it would leave it. */
export function resolveInside(root: string, relative: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative) || relative.startsWith('/') || relative.includes('\0')) return undefined
  const resolved = path.resolve(root, decodeURIComponentSafe(relative.split(/[?#]/)[0]))
  if (!isWithin(resolved, root)) return undefined
  // A symbolic link may point anywhere: what counts is where the file really is.
  if (existsSync(resolved) && !isWithin(realpathSync(resolved), realpathSync(root))) return undefined
  return resolved
}

function isWithin(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep)
}

/** The first existing file for a relative path among several roots (a derived theme, then its bases). */
export function findInside(roots: readonly string[], relative: string): string | undefined {
  for (const root of roots) {
    const file = resolveInside(root, relative)
    if (file && existsSync(file) && statSync(file).isFile()) return file
  }
  return undefined
}

/** Reads an image file into a data: URL; undefined when its type is not an image type. */
export function imageDataUrl(file: string): string | undefined {
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()]
  if (!type) return undefined
  return `data:${type};base64,${readFileSync(file).toString('base64')}`
}

/** @font-face rules for a theme's fonts, from their @fontsource packages, with the files inlined as WOFF2. */
export function fontFaceCss(tokens: ThemeTokens, themeFile: string): string {
  const rules: string[] = []
  for (const [role, font] of Object.entries(tokens.fonts)) {
    const dir = packageDir(font.package, themeFile, role)
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
            field: `fonts.${role}.weights`,
            hint: `see which weights ${dir} ships, and list only those`,
          })
        }
        rules.push(...fontFaces(css, dir, font.family, tokens.subsets))
      }
    }
  }
  return rules.join('\n')
}

/** The installed version of a font package ("5.3.1"), or "missing". */
export function fontPackageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(requireFromHere.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return 'missing'
  }
}

/** Rewrites url(...) references in theme CSS to data: URLs of files inside the theme; other URLs are an error. */
export function inlineCssUrls(css: string, themeDirs: readonly string[], cssFile: string): string {
  const root = postcss.parse(css, { from: cssFile })
  root.walkDecls((decl) => {
    if (!decl.value.includes('url(')) return
    decl.value = decl.value.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (whole, _quote, ref: string) => {
      if (ref.startsWith('data:')) return whole
      const file = findInside(themeDirs, ref)
      const data = file && tryImage(file)
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

/** Writes a value as a CSS string literal that no record text can break out of. */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"\n\r\f<>]/g, (char) => `\\${char.charCodeAt(0).toString(16)} `)}"`
}

// --- internal ---

const requireFromHere = createRequire(import.meta.url)

function packageDir(name: string, themeFile: string, role: string): string {
  try {
    return path.dirname(requireFromHere.resolve(`${name}/package.json`))
  } catch {
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `font package ${name} is not installed`,
      loc: { file: themeFile },
      field: `fonts.${role}.package`,
      hint: `run npm install ${name}, or choose an installed @fontsource package`,
    })
  }
}

function fontFaces(css: string, dir: string, family: string, subsets: readonly string[]): string[] {
  const faces: string[] = []
  const root = postcss.parse(css)
  root.walkAtRules('font-face', (rule) => {
    let src = ''
    rule.walkDecls('src', (decl) => {
      src = decl.value
    })
    const woff2 = /url\(\.?\/?(files\/[^)]+\.woff2)\)/.exec(src)?.[1]
    if (!woff2) return
    const subset = subsets.find((name) => woff2.includes(`-${name}-`) && !woff2.includes(`-${name}-ext-`))
    if (!subset) return
    const data = readFileSync(path.join(dir, woff2)).toString('base64')
    rule.walkDecls((decl) => {
      if (decl.prop === 'src') decl.value = `url(data:font/woff2;base64,${data}) format('woff2')`
      if (decl.prop === 'font-family') decl.value = JSON.stringify(family)
      // Fonts are local data: block until loaded so that no fallback font is ever printed.
      if (decl.prop === 'font-display') decl.value = 'block'
    })
    faces.push(rule.toString())
  })
  return faces
}

function tryImage(file: string): string | undefined {
  try {
    return imageDataUrl(file)
  } catch {
    return undefined
  }
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
