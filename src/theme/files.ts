/** The files a theme chain is made of, overlaid (a derived theme's file replaces the base's) and fingerprinted. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { listFiles } from '../core/files.ts'
import { sha256 } from '../core/hash.ts'
import { fontPackageFile, fontPackageVersion } from './assets.ts'
import type { ThemeTokens } from './schema.ts'
import { takeListing, type ThemeStamp } from './stamp.ts'
import { readThemeChain, resolveTokens, type ThemeLayer } from './tokens.ts'

/** Every file of a theme chain that can change a sheet: tokens, templates, partials, CSS, programmes, images. */
export function themeFiles(chain: readonly ThemeLayer[]): string[] {
  const files: string[] = []
  for (const layer of chain) {
    files.push(layer.file, ...listFiles(layer.dir, '.hbs'), ...listFiles(path.join(layer.dir, 'partials'), '.hbs'))
    files.push(...listFiles(layer.dir, '.css'), ...listFiles(path.join(layer.dir, 'programmes'), '.md'), ...listFiles(path.join(layer.dir, 'assets')))
    files.push(...listFiles(path.join(layer.dir, 'words'), '.json'))
  }
  return files.sort()
}

/** The files of a sub-folder across the chain, a derived theme's file replacing the base's of the same name. */
export function overlay(chain: readonly ThemeLayer[], sub: string, ext: string): string[] {
  const byName = new Map<string, string>()
  for (const layer of chain) for (const file of listFiles(path.join(layer.dir, sub), ext)) byName.set(path.basename(file), file)
  return [...byName.values()]
}

/** A hash of a theme's files (relative to the templates folder) and of its font packages' versions. */
export function fingerprintFiles(templatesDir: string, tokens: ThemeTokens, files: readonly string[]): string {
  const fonts = fontPackages(tokens, files).map((name) => `${name}@${fontPackageVersion(name)}`)
  const hashed = files.map((file) => `${path.relative(templatesDir, file)}\0${sha256(readFileSync(file))}`)
  return sha256([...fonts, ...hashed].join('\n'))
}

/**
 * The fingerprint of a theme without compiling it: cheap enough to tell, for every build, whether sheets printed with
 * it are still up to date. The same value as a loaded Theme's `fingerprint`.
 */
export function themeFingerprint(templatesDir: string, name: string, cwd: string): string {
  const chain = readThemeChain(templatesDir, name, cwd)
  return fingerprintFiles(templatesDir, resolveTokens(chain), themeFiles(chain))
}

/**
 * The stamp of a theme: its folders and font packages listed first, then its fingerprint, so that a file changed
 * meanwhile makes the stamp stale rather than wrong.
 */
export async function stampTheme(templatesDir: string, name: string, cwd: string): Promise<ThemeStamp> {
  const chain = readThemeChain(templatesDir, name, cwd)
  const tokens = resolveTokens(chain)
  const dirs = chain.flatMap((layer) => [layer.dir, ...['partials', 'programmes', 'assets', 'words'].map((sub) => path.join(layer.dir, sub))])
  const files = fontPackages(tokens, themeFiles(chain)).flatMap((name) => fontPackageFile(name) ?? [])
  const listing = await takeListing(dirs, files)
  return { fingerprint: fingerprintFiles(templatesDir, tokens, themeFiles(chain)), dirs, files, listing }
}

// --- internal ---

/** The font packages of the theme and of its words files' script fonts (read from the files, as they stand). */
function fontPackages(tokens: ThemeTokens, files: readonly string[]): string[] {
  const names = new Set(Object.values(tokens.fonts).map((font) => font.package))
  for (const file of files) {
    if (path.basename(path.dirname(file)) !== 'words') continue
    for (const match of readFileSync(file, 'utf8').matchAll(/"package"\s*:\s*"(@fontsource(?:-variable)?\/[a-z0-9-]+)"/g)) names.add(match[1])
  }
  return [...names].sort()
}
