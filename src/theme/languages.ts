/** A theme's languages: words/<lang>.json across the theme chain, merged and checked complete, with direction, digits, fonts and page CSS. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { displayPath, listFiles } from '../core/files.ts'
import { pageNumberContent } from '../core/html.ts'
import { locate, issueErrors, parseLocatedYaml } from '../core/located-yaml.ts'
import { printable, textDirection } from '../core/format.ts'
import { fontFaceCss } from './assets.ts'
import { textSchema, WORD_KEYS, wordsFileSchema, type CountWord, type Words, type WordsFile } from './language-schema.ts'
import type { ThemeTokens } from './schema.ts'
import type { ThemeLayer } from './tokens.ts'

export type { CountWord, Words } from './language-schema.ts'

/** Everything a sheet in one language takes from its theme. */
export interface Language {
  /** The language as the theme names it (its words file: words/fr.json). */
  lang: string
  dir: 'ltr' | 'rtl'
  digits: 'latn' | 'arab'
  text: Words
  /** How each group of countries of theme.json is written. */
  groups: Readonly<Record<string, string>>
  /** The brand's name, the logo's words and the funders' marks' words in this language. */
  name: string
  logo: string | null
  marks: string[]
  /** The script's fonts by role (empty when the theme's own fonts serve), tried before the theme's. */
  fonts: ThemeTokens['fonts']
  subsets: string[]
  /** The words file as shown (words/fr.json of the most derived theme that has one), or theme.json for English without one. */
  file: string
  /** The language's CSS after the theme's: its fonts' faces, the font stacks, the page boxes (page numbers at the inline end). */
  css: string
  /** The font files this CSS names, by URL. */
  served: Map<string, string>
}

/** Reads every language of the chain (English always, from defaults, theme.json text and words/en.json). Throws ThemeInvalid. */
export function loadLanguages(chain: readonly ThemeLayer[], tokens: ThemeTokens, cwd: string): Map<string, Language> {
  const names = new Set(['en', ...chain.flatMap((layer) => listFiles(path.join(layer.dir, 'words'), '.json').map((file) => path.basename(file, '.json')))])
  const languages = new Map<string, Language>()
  for (const lang of [...names].sort()) {
    const files = chain.flatMap((layer) => readWordsFile(layer, lang, cwd))
    languages.set(lang, mergeLanguage(lang, chain, files, tokens))
  }
  return languages
}

/** The words files of a chain, for fingerprints. */
export function wordsFiles(chain: readonly ThemeLayer[]): string[] {
  return chain.flatMap((layer) => listFiles(path.join(layer.dir, 'words'), '.json'))
}

/** The theme's language for a sheet's language tag: the tag itself, else its base language (fr-CH → fr); undefined if neither. */
export function findLanguage(languages: ReadonlyMap<string, Language>, tag: string): Language | undefined {
  return languages.get(tag) ?? languages.get(tag.toLowerCase()) ?? languages.get(baseLanguage(tag))
}

/** The locale Intl formats a sheet's numbers and dates in: its tag with the theme's digits (fr-u-nu-latn, ar-u-nu-arab). */
export function formatLocale(tag: string, language: Pick<Language, 'digits'>): string {
  try {
    return new Intl.Locale(tag, { numberingSystem: language.digits }).toString()
  } catch {
    return tag
  }
}

/** "{count} projects" for a number, by the language's plural rules. */
export function countWord(word: CountWord, count: number, tag: string): string {
  const form = typeof word === 'string' ? word : (word[new Intl.PluralRules(tag).select(count)] ?? word.other)
  return form.replace('{count}', printable(new Intl.NumberFormat(tag).format(count)))
}

/** The four sides of a CSS margin shorthand ("14mm 17mm 22mm 17mm", "2cm", "1cm 2cm"…). */
export function marginSides(margin: string): [string, string, string, string] {
  const parts = margin.trim().split(/\s+(?![^(]*\))/)
  const [top, right = top, bottom = top, left = right] = parts
  return [top, right, bottom, left]
}

// --- internal ---

interface WordsLayer {
  layer: ThemeLayer
  shown: string
  data: WordsFile
  at: (fieldPath: (string | number)[]) => { file: string; line: number }
}

function readWordsFile(layer: ThemeLayer, lang: string, cwd: string): WordsLayer[] {
  const file = path.join(layer.dir, 'words', `${lang}.json`)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return []
  }
  const shown = displayPath(file, cwd)
  const located = parseLocatedYaml(text, { file: shown, code: 'ThemeInvalid', subject: 'a words file', language: 'JSON', maxAliasCount: 10, keep: true })
  const { data, errors } = located
  if (errors.length > 0) throw errors[0]
  const parsed = wordsFileSchema.safeParse(data, { reportInput: true })
  const known = (at: readonly (string | number)[]) => ({
    noun: at.length === 0 ? 'a field of a words file' : `a key of ${at.join('.')}`,
    known: at.length === 0 ? Object.keys(wordsFileSchema.shape) : at[0] === 'text' ? WORD_KEYS : [],
  })
  if (!parsed.success) throw issueErrors(parsed.error.issues[0], { file: shown, doc: located.doc, lines: located.lines, code: 'ThemeInvalid', keys: known })[0]
  return [{ layer, shown, data: parsed.data, at: (fieldPath) => ({ file: shown, line: locate(located.doc, located.lines, fieldPath) }) }]
}

function mergeLanguage(lang: string, chain: readonly ThemeLayer[], files: readonly WordsLayer[], tokens: ThemeTokens): Language {
  const last = files[files.length - 1]
  const owner = last ?? { shown: chain[chain.length - 1].shown, at: () => ({ file: chain[chain.length - 1].shown, line: 1 }) }
  const fail = (message: string, field: (string | number)[], hint?: string) =>
    new SheetError({ code: 'ThemeInvalid', message, field: field.join('.'), loc: owner.at(field), hint })
  // English: the defaults, then each layer's theme.json text and words/en.json; other languages: their files only, complete.
  const english = lang === 'en'
  const merged: Record<string, unknown> = {}
  for (const layer of chain) {
    if (english && layer.raw.text && typeof layer.raw.text === 'object') Object.assign(merged, layer.raw.text)
    Object.assign(merged, files.find((file) => file.layer === layer)?.data.text)
  }
  if (!english) {
    const missing = WORD_KEYS.filter((key) => merged[key] === undefined)
    if (missing.length > 0) {
      const listed = missing.slice(0, 6).join(', ') + (missing.length > 6 ? ` and ${missing.length - 6} more` : '')
      throw fail(`${owner.shown} has no words for ${listed}`, ['text', missing[0]], `add them to ${owner.shown} "text" (the English words are in docs/theming.md)`)
    }
  }
  const text = textSchema.parse(merged) as Words
  const pick = <K extends keyof WordsFile>(key: K): WordsFile[K] | undefined => [...files].reverse().find((file) => file.data[key] !== undefined)?.data[key]
  const groups: Record<string, string> = Object.assign({}, ...files.map((file) => file.data.groups))
  for (const name of Object.keys(groups)) {
    if (!Object.hasOwn(tokens.groups, name)) throw fail(`"${name}" is not a group of countries of the theme (${Object.keys(tokens.groups).join(', ') || 'none'})`, ['groups', name])
  }
  const unworded = english ? [] : Object.keys(tokens.groups).filter((name) => !Object.hasOwn(groups, name))
  if (unworded.length > 0) throw fail(`${owner.shown} has no words for the group "${unworded[0]}"${unworded.length > 1 ? ` (and ${unworded.length - 1} more)` : ''}`, ['groups'], 'word every group of theme.json "groups" in this language')
  const marks = pick('marks') ?? tokens.marks.map((mark) => mark.text)
  if (marks.length !== tokens.marks.length) {
    const own = path.join(path.dirname(chain[chain.length - 1].shown), 'words', `${lang}.json`)
    const message = `the theme has ${tokens.marks.length} funder marks, but ${owner.shown} words ${marks.length}`
    throw fail(message, ['marks'], `word each mark in ${lang}, in the order of theme.json "marks": "marks": [...] in ${own}`)
  }
  const fonts: ThemeTokens['fonts'] = Object.assign({}, ...files.map((file) => file.data.fonts ?? {}))
  for (const role of Object.keys(fonts)) {
    if (!Object.hasOwn(tokens.fonts, role)) throw fail(`"${role}" is not a font role of the theme (${Object.keys(tokens.fonts).join(', ')})`, ['fonts', role])
  }
  const subsets = pick('subsets') ?? []
  if (Object.keys(fonts).length > 0 && subsets.length === 0) throw fail('fonts needs the subsets to embed, such as ["arabic"]', ['subsets'])
  const dir = pick('dir') ?? textDirection(lang)
  // Only the script's subsets: Latin names and numbers in an Arabic sheet keep the theme's own fonts.
  const faces = fontFaceCss(fonts, owner.shown, 'fonts', subsets)
  const language = { lang, dir, digits: pick('digits') ?? 'latn', text, groups, name: pick('name') ?? tokens.name, logo: pick('logo') ?? tokens.logo?.text ?? null, marks, fonts, subsets, file: owner.shown }
  return { ...language, css: [faces.css, fontStacks(fonts, tokens), pageBoxes(tokens, text, dir)].join('\n'), served: faces.files }
}

function baseLanguage(tag: string): string {
  try {
    return new Intl.Locale(tag).language
  } catch {
    return tag
  }
}

/** --font-<role> as the script's family first, then the theme's (Latin names and numbers keep the brand's font). */
function fontStacks(fonts: ThemeTokens['fonts'], tokens: ThemeTokens): string {
  const stacks = Object.entries(fonts).map(([role, font]) => `  --font-${role}: ${JSON.stringify(font.family)}, ${JSON.stringify(tokens.fonts[role].family)};`)
  return stacks.length > 0 ? `:root {\n${stacks.join('\n')}\n}` : ''
}

/**
 * The page box. The footer band is the page's bottom margin: the footer partial (funders' marks, position: fixed, so it
 * repeats on every page) is drawn there, kept free of text by the body's bottom padding, repeated on every page
 * (box-decoration-break: clone); the page number stays in a margin box, the only place that knows the page count: at the
 * bottom right, or the bottom left for a language written right to left (margin boxes do not follow `dir`).
 */
function pageBoxes(tokens: ThemeTokens, text: Words, dir: 'ltr' | 'rtl'): string {
  const [top, right, band, left] = marginSides(tokens.page.margin)
  const [end, start] = dir === 'rtl' ? ['bottom-left', 'bottom-right'] : ['bottom-right', 'bottom-left']
  return [
    `@page {\n  size: ${tokens.page.size};\n  margin: ${top} ${right} 0 ${left};`,
    `  @${end} { content: ${pageNumberContent(text.pageNumber)}; margin-top: calc(-1 * ${band}); height: ${band}; vertical-align: middle; }`,
    `  @${start} { content: none; }\n}`,
    `body { padding-bottom: ${band}; box-decoration-break: clone; -webkit-box-decoration-break: clone; }`,
  ].join('\n')
}
