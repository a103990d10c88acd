/** `npm run new:theme -- <name> [--from mpf]`: a theme folder that extends another, with the tokens a new brand changes. */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { displayPath, ID_PATTERN } from '../core/files.ts'
import { readThemeChain, resolveTokens } from '../theme/tokens.ts'

/** Writes templates/<name>/theme.json and README.md extending `base`; returns the folder. Never overwrites a theme. */
export async function writeTheme(templatesDir: string, name: string, base: string, cwd: string): Promise<string> {
  if (!ID_PATTERN.test(name) || name.length > 60) {
    throw new SheetError({ code: 'UsageError', message: `"${name}" cannot be a theme name`, hint: 'use lowercase letters, digits and hyphens, such as danube' })
  }
  const dir = path.join(templatesDir, name)
  if (existsSync(dir)) {
    throw new SheetError({ code: 'UsageError', message: `${displayPath(dir, cwd)} already exists`, hint: 'pick another name, or edit that theme' })
  }
  const tokens = resolveTokens(readThemeChain(templatesDir, base, cwd))
  const programmes = path.join(displayPath(path.join(templatesDir, base), cwd), 'programmes')
  const theme = {
    $comment: [
      `Extends ${base}: every token not set here, and every template, partial, CSS rule, image and programme blurb, comes from it.`,
      'Change the colours, fonts and logo below; delete what you keep as it is. README.md in this folder says what each token does.',
    ],
    extends: base,
    name: `${name[0].toUpperCase()}${name.slice(1)}`,
    colors: tokens.colors,
    fonts: tokens.fonts,
    ...(tokens.logo ? { logo: tokens.logo } : {}),
    text: {},
  }
  await mkdir(path.join(dir, 'assets'), { recursive: true })
  // Lists of numbers (font weights) on one line, as people write them.
  const json = JSON.stringify(theme, null, 2).replace(/\[\s+([\d,\s]+?)\s+\]/g, (_all, list: string) => `[${list.split(/,\s*/).join(', ')}]`)
  await writeFile(path.join(dir, 'theme.json'), `${json}\n`, { flag: 'wx' })
  await writeFile(path.join(dir, 'README.md'), readme(name, base, programmes), { flag: 'wx' })
  return dir
}

// --- internal ---

function readme(name: string, base: string, programmes: string): string {
  return `# Theme ${name}

Extends \`${base}\`. Full reference: docs/theming.md.

- \`theme.json\` holds the tokens to change: \`colors\` (every name is a CSS variable \`--color-<name>\`; a misspelt name
  is an error with "did you mean"), \`fonts\` (@fontsource packages), \`logo\` (an image in \`assets/\`), \`marks\` (the
  funders' marks of the footer), \`footer\` (their sizes), \`contrast\` (colour pairs checked against WCAG AA). Delete
  what you keep from \`${base}\`.
- The words the sheet prints, per language, are in \`words/<lang>.json\` (en, fr, ar come from \`${base}\`): add
  \`words/fr.json\` here with only the keys you word differently. A theme with another number of funder marks words
  them in each language (\`"marks": [...]\`).
- Put images in \`assets/\`. To change the layout, copy a template or partial of \`${base}\` here and edit it; add a
  \`sheet.css\` here for your rules (it comes after the base theme's).
- Programme blurbs come from \`${programmes}/\`: a record with \`programme: ${base}\` prints the base brand's words
  until you add \`programmes/<key>.md\` here (the build says so).

The loop: \`npm run preview:sheets -- --theme ${name}\` (live), \`npm run build:sheets -- --theme ${name}\` (a proof in
out/proofs/${name}/), \`npm run test:visual\` (what changed, page by page).
`
}
