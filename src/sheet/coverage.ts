/** Preflight before printing: every character of a record is in the theme's fonts (read from the font files), or an error. */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { readCached, writeCached } from '../core/disk-cache.ts'
import type { SheetRecord } from '../record/validate.ts'
import { findLanguage } from '../theme/languages.ts'
import type { Theme } from '../theme/theme.ts'
import { fontPackageVersion } from '../theme/assets.ts'

/** Characters no font needs a glyph for: controls, spaces and joiners the layout handles, marks that are never drawn. */
const INVISIBLE = /[\p{Cc}\p{Zl}\p{Zp}\u0020\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufe00-\ufe0f\ufeff]/u

/**
 * The record's characters that the theme's fonts lack, one error each (the first line it is on, its field, the code
 * point and the font). The title and Markdown headings are checked against the heading font too.
 */
export function coverageErrors(record: SheetRecord, theme: Theme): SheetError[] {
  const language = findLanguage(theme.languages, record.fields.lang ?? 'en')
  const fonts = Object.entries(theme.tokens.fonts).map(([role, font]) => {
    const own = coverage(font.package, theme.tokens.subsets, font.weights[0])
    const script = language?.fonts[role]
    if (!script || !language) return { role, family: font.family, covers: own }
    const extra = coverage(script.package, language.subsets, script.weights[0])
    return { role, family: `${script.family} or ${font.family}`, covers: (code: number) => extra(code) || own(code) }
  })
  const body = fonts.find((font) => font.role === 'body') ?? fonts[0]
  const heading = fonts.find((font) => font.role === 'heading') ?? body
  if (!body || !heading) return []
  const missing = new Map<string, { line: number; field: string; family: string; chars: string[] }>()
  const reported = new Set<string>()
  const lines = record.source.text.split('\n')
  const bodyStart = record.source.bodyLine - 1
  let field = ''
  lines.forEach((line, index) => {
    const inBody = index >= bodyStart
    if (!inBody) field = /^([A-Za-z_][\w-]*):/.exec(line)?.[1] ?? field
    const at = inBody ? 'text' : field
    const needs = !inBody && field === 'title' ? [heading] : inBody && /^#{1,2}\s/.test(line) ? [body, heading] : [body]
    for (const char of line) {
      if (INVISIBLE.test(char)) continue
      const code = char.codePointAt(0)!
      for (const font of needs) {
        if (font.covers(code) || reported.has(`${font.family}:${code}`)) continue
        reported.add(`${font.family}:${code}`)
        const key = `${index}:${font.family}`
        if (!missing.has(key)) missing.set(key, { line: index + 1, field: at, family: font.family, chars: [] })
        missing.get(key)!.chars.push(char)
      }
    }
  })
  return [...missing.values()].map((found) => missingGlyphs(record, found, theme))
}

// --- internal ---

const requireFromHere = createRequire(import.meta.url)
/** Code points per font package and subsets, read once per process. */
const cache = new Map<string, Set<number>>()

/** Whether the package's regular face (or its first weight), in the theme's subsets, has a glyph for a code point. */
function coverage(pkg: string, subsets: readonly string[], firstWeight: number): (code: number) => boolean {
  const key = `${pkg}|${subsets.join(',')}`
  let points = cache.get(key)
  if (!points) {
    points = new Set<number>()
    const dir = path.dirname(requireFromHere.resolve(`${pkg}/package.json`))
    const name = pkg.split('/')[1]!
    for (const subset of subsets) {
      const files = [400, firstWeight].map((weight) => path.join(dir, 'files', `${name}-${subset}-${weight}-normal.woff`))
      const file = files.find((candidate) => existsSync(candidate))
      if (!file) continue // a subset this family does not ship
      for (const point of characterSet(file, `${pkg}@${fontPackageVersion(pkg)}`)) points.add(point)
    }
    cache.set(key, points)
  }
  const found = points
  return (code) => found.has(code)
}

/**
 * The code points a font file has glyphs for. Font packages are versioned, so a file's set never changes: it is kept
 * on disk once read (core/disk-cache.ts, scoped by the package's release), and fontkit (and its decompression, a fifth
 * of a second) is loaded only for a file not read before.
 */
function characterSet(file: string, release: string): number[] {
  const kept = readCached('coverage', path.basename(file), release)
  if (kept !== undefined) return (JSON.parse(kept) as [number, number][]).flatMap(([first, last]) => Array.from({ length: last - first + 1 }, (_, i) => first + i))
  const fontkit = requireFromHere('fontkit') as typeof import('fontkit')
  const font = fontkit.create(readFileSync(file))
  const points = 'characterSet' in font ? [...font.characterSet].sort((a, b) => a - b) : []
  const ranges: [number, number][] = []
  for (const point of points) {
    const last = ranges[ranges.length - 1]
    if (last && point === last[1] + 1) last[1] = point
    else ranges.push([point, point])
  }
  writeCached('coverage', path.basename(file), JSON.stringify(ranges), release)
  return points
}

function missingGlyphs(record: SheetRecord, found: { line: number; field: string; family: string; chars: string[] }, theme: Theme): SheetError {
  const named = found.chars.slice(0, 6).map((char) => `"${char}" (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
  const more = found.chars.length > named.length ? ` and ${found.chars.length - named.length} more` : ''
  const which = found.chars.length === 1 ? `the character ${named[0]} is` : `the characters ${named.join(', ')}${more} are`
  return new SheetError({
    code: 'FontCoverage',
    message: `${which} not in the theme's font ${found.family} (subsets ${theme.tokens.subsets.join(', ')})`,
    loc: { file: record.file, line: found.line },
    field: found.field,
    hint: `replace the character, or add the subset that has it to "subsets" in the theme's theme.json (or choose a font that has it)`,
  })
}
