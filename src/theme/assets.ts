/** Theme files as the browser gets them: fonts from npm and images inlined as data: URLs, so a page loads nothing. */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import postcss from 'postcss'
import { SheetError } from '../core/errors.ts'
import { findInside, imageDataUrl } from '../core/files.ts'
import type { ThemeTokens } from './schema.ts'

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
            hint: `list only weights ${font.package} ships: ${shippedWeights(dir)}`,
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

/** The weights a @fontsource package has files for ("400, 500, 600, 700"): a hint names them, not the package's folder. */
function shippedWeights(dir: string): string {
  const weights = readdirSync(dir).flatMap((name) => /^(\d{3})\.css$/.exec(name)?.[1] ?? [])
  return weights.sort().join(', ') || 'none'
}
