/** theme.json files → validated tokens, following `extends` from the base theme to the derived one; WCAG contrast checked. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { wcagContrast } from 'culori'
import type { Document, LineCounter } from 'yaml'
import { describeValue, SheetError } from '../core/errors.ts'
import { displayPath, ID_PATTERN } from '../core/files.ts'
import { fieldName, issueErrors, locate, parseLocatedYaml } from '../core/located-yaml.ts'
import { knownThemeKeys, themeSchema, type ThemeTokens } from './schema.ts'

/** One theme folder of a chain: its name, folder, theme.json (absolute, and as shown) and that file's own settings. */
export interface ThemeLayer {
  name: string
  dir: string
  file: string
  /** theme.json relative to the project folder, for messages. */
  shown: string
  raw: Record<string, unknown>
  doc?: Document
  lines: LineCounter
}

/** A problem that does not stop the build, such as large text below WCAG AA contrast. */
export interface ThemeWarning {
  file: string
  message: string
}

/** How deep `extends` may go. */
export const MAX_THEME_DEPTH = 8

/** WCAG AA: body text needs 4.5:1, large text 3:1. */
export const MIN_CONTRAST = { body: 4.5, large: 3 } as const

/** The theme's layers, base first: templates/mpf/ then templates/<name>/ when <name> has `extends: mpf`. */
export function readThemeChain(templatesDir: string, name: string, cwd: string): ThemeLayer[] {
  const chain: ThemeLayer[] = []
  let next: string | undefined = name
  let from: ThemeLayer | undefined
  while (next !== undefined) {
    if (chain.some((layer) => layer.name === next) || chain.length >= MAX_THEME_DEPTH) {
      throw new SheetError({
        code: 'ThemeInvalid',
        message: `themes extend each other in a circle or too deep (${[...chain.map((layer) => layer.name), next].join(' → ')})`,
        loc: from && at(from, ['extends']),
        field: 'extends',
      })
    }
    const layer = readLayer(templatesDir, next, from, cwd)
    chain.push(layer)
    from = layer
    next = typeof layer.raw.extends === 'string' ? layer.raw.extends : undefined
  }
  return chain.reverse()
}

/** Merges the layers' settings (later layers win, mappings merged key by key) and validates the result. */
export function resolveTokens(chain: readonly ThemeLayer[]): ThemeTokens {
  const merged = chain.reduce<Record<string, unknown>>((acc, layer) => mergeSettings(acc, layer.raw), {})
  delete merged.extends
  const parsed = themeSchema.safeParse(merged, { reportInput: true })
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue.path.filter((part): part is string | number => typeof part !== 'symbol')
  const fieldPath = issue.code === 'unrecognized_keys' ? [...where, issue.keys[0]] : where
  // Blame the most derived theme.json that sets the field, else the theme being loaded.
  const owner = [...chain].reverse().find((layer) => layer.doc?.hasIn(fieldPath)) ?? chain[chain.length - 1]
  const keys = (at: readonly (string | number)[]) => ({ noun: at.length === 0 ? 'a theme setting' : `a setting of ${fieldName(at)}`, known: knownThemeKeys(at) })
  throw issueErrors(issue, { file: owner.shown, doc: owner.doc, lines: owner.lines, code: 'ThemeInvalid', keys })[0]
}

/**
 * Checks each declared text/background pair for WCAG AA contrast: body text below 4.5:1 is an error (ThemeInvalid at
 * the first failing pair's line, naming every failing pair), large text below 3:1 a warning (returned).
 */
export function checkContrast(chain: readonly ThemeLayer[], tokens: ThemeTokens): ThemeWarning[] {
  const warnings: ThemeWarning[] = []
  const failing: { index: number; what: string }[] = []
  const owner = [...chain].reverse().find((layer) => layer.raw.contrast !== undefined) ?? chain[chain.length - 1]
  tokens.contrast.forEach((pair, index) => {
    const colour = (ref: string, field: string) => {
      const value = ref.startsWith('#') ? ref : tokens.colors[ref]
      if (value) return value
      const message = `"${ref}" is not one of colors (${Object.keys(tokens.colors).join(', ')})`
      throw new SheetError({ code: 'ThemeInvalid', message, field: `contrast[${index}].${field}`, loc: at(owner, ['contrast', index, field]) })
    }
    const ratio = wcagContrast(colour(pair.text, 'text'), colour(pair.background, 'background'))
    const needed = MIN_CONTRAST[pair.size]
    if (ratio >= needed) return
    const what = `${pair.size} text ${pair.text} on ${pair.background}${pair.where ? ` (${pair.where})` : ''} has a contrast of ${ratio.toFixed(2)}:1, below the ${needed}:1 of WCAG AA`
    if (pair.size === 'large') warnings.push({ file: `${owner.shown}:${at(owner, ['contrast', index]).line}`, message: what })
    else failing.push({ index, what })
  })
  if (failing.length === 0) return warnings
  const others = failing.slice(1).map((fail) => `; and ${fail.what.replace(/^body text /, '')} (line ${at(owner, ['contrast', fail.index]).line})`)
  throw new SheetError({
    code: 'ThemeInvalid',
    message: failing[0].what + others.join(''),
    field: `contrast[${failing[0].index}]`,
    loc: at(owner, ['contrast', failing[0].index]),
    hint: `darken the text colour or lighten the background until the ratio is met${failing.length > 1 ? ` (${failing.length} pairs)` : ''}`,
  })
}

// --- internal ---

function at(layer: ThemeLayer, fieldPath: (string | number)[]): { file: string; line: number } {
  return { file: layer.shown, line: locate(layer.doc, layer.lines, fieldPath) }
}

function readLayer(templatesDir: string, name: string, from: ThemeLayer | undefined, cwd: string): ThemeLayer {
  const dir = path.join(templatesDir, name)
  const file = path.join(dir, 'theme.json')
  const shown = displayPath(file, cwd)
  if (!ID_PATTERN.test(name) || !existsSync(file)) {
    const known = existsSync(templatesDir) ? readdirSync(templatesDir).filter((entry) => existsSync(path.join(templatesDir, entry, 'theme.json'))) : []
    throw new SheetError({
      code: 'ThemeNotFound',
      message: `there is no theme "${name}" (no ${shown})`,
      loc: from ? at(from, ['extends']) : { file: displayPath(dir, cwd) },
      field: from ? 'extends' : undefined,
      hint: known.length > 0 ? `themes here: ${known.join(', ')}` : undefined,
    })
  }
  const parsed = parseLocatedYaml(readFileSync(file, 'utf8'), { file: shown, code: 'ThemeInvalid', subject: 'theme.json', language: 'JSON', maxAliasCount: 10, keep: true })
  const { data, errors } = parsed
  if (errors.length > 0) throw errors[0]
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SheetError({ code: 'ThemeInvalid', message: 'theme.json must hold an object of settings', loc: { file: shown, line: 1 } })
  }
  const raw = data as Record<string, unknown>
  // The document and its lines only when a line is asked for (the text is parsed again then, see parseLocatedYaml).
  const layer = {
    name,
    dir,
    file,
    shown,
    raw,
    get doc() {
      return parsed.doc
    },
    get lines() {
      return parsed.lines
    },
  }
  if (raw.extends !== undefined && typeof raw.extends !== 'string') {
    throw new SheetError({ code: 'ThemeInvalid', message: `expected the name of another theme (got ${describeValue(raw.extends)})`, field: 'extends', loc: at(layer, ['extends']) })
  }
  return layer
}

function mergeSettings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key]
    // Lists (marks, weights, subsets) are replaced whole; mappings (colors, fonts, text, page) merge key by key.
    out[key] = isMapping(prior) && isMapping(value) ? mergeSettings(prior, value) : value
  }
  return out
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
