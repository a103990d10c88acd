/** theme.json files → validated tokens, following `extends` from the base theme to the derived one. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { wcagContrast } from 'culori'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { describeValue, SheetError } from '../core/errors.ts'
import { ID_PATTERN } from '../record/schema.ts'
import { themeSchema, type ThemeTokens } from './schema.ts'
import { fieldName, locate } from '../record/validate.ts'

/** One theme folder of a chain: its name, folder, theme.json and that file's own settings. */
export interface ThemeLayer {
  name: string
  dir: string
  file: string
  raw: Record<string, unknown>
  doc: Document
  lines: LineCounter
}

/** How deep `extends` may go. */
export const MAX_THEME_DEPTH = 8

/** The theme's layers, base first: templates/mpf/ then templates/<name>/ when <name> has `extends: mpf`. */
export function readThemeChain(templatesDir: string, name: string): ThemeLayer[] {
  const chain: ThemeLayer[] = []
  let next: string | undefined = name
  let from: ThemeLayer | undefined
  while (next !== undefined) {
    if (chain.some((layer) => layer.name === next) || chain.length >= MAX_THEME_DEPTH) {
      throw new SheetError({
        code: 'ThemeInvalid',
        message: `themes extend each other in a circle or too deep (${[...chain.map((layer) => layer.name), next].join(' → ')})`,
        loc: from && { file: rel(from.file), line: locate(from.doc, from.lines, ['extends']) },
        field: 'extends',
      })
    }
    const layer = readLayer(templatesDir, next, from)
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
  const at = issue.path.filter((part): part is string | number => typeof part !== 'symbol')
  const where = issue.code === 'unrecognized_keys' ? [...at, issue.keys[0]] : at
  // Blame the most derived theme.json that sets the field, else the theme being loaded.
  const owner = [...chain].reverse().find((layer) => layer.doc.hasIn(where)) ?? chain[chain.length - 1]
  throw new SheetError({
    code: 'ThemeInvalid',
    message: issue.code === 'unrecognized_keys' ? 'is not a theme setting' : `${issue.message} (got ${describeValue(issue.input)})`,
    field: fieldName(where),
    loc: { file: rel(owner.file), line: locate(owner.doc, owner.lines, where, issue.code === 'unrecognized_keys') },
  })
}

/** WCAG AA: body text needs 4.5:1, large text 3:1. */
export const MIN_CONTRAST = { body: 4.5, large: 3 } as const

/**
 * Checks each declared text/background pair for WCAG AA contrast: body text below 4.5:1 is an error (ThemeInvalid at
 * the pair's line), large text below 3:1 a warning (returned).
 */
export function checkContrast(chain: readonly ThemeLayer[], tokens: ThemeTokens): { file: string; message: string }[] {
  const warnings: { file: string; message: string }[] = []
  const owner = [...chain].reverse().find((layer) => layer.doc.hasIn(['contrast'])) ?? chain[chain.length - 1]
  tokens.contrast.forEach((pair, index) => {
    const colour = (ref: string, field: string) => {
      const value = ref.startsWith('#') ? ref : tokens.colors[ref]
      if (value) return value
      throw new SheetError({
        code: 'ThemeInvalid',
        message: `"${ref}" is not one of colors (${Object.keys(tokens.colors).join(', ')})`,
        field: `contrast[${index}].${field}`,
        loc: { file: rel(owner.file), line: locate(owner.doc, owner.lines, ['contrast', index, field]) },
      })
    }
    const ratio = wcagContrast(colour(pair.text, 'text'), colour(pair.background, 'background'))
    const needed = MIN_CONTRAST[pair.size]
    if (ratio >= needed) return
    const what = `${pair.size} text ${pair.text} on ${pair.background}${pair.where ? ` (${pair.where})` : ''} has a contrast of ${ratio.toFixed(2)}:1, below the ${needed}:1 of WCAG AA`
    if (pair.size === 'large') {
      warnings.push({ file: rel(owner.file), message: what })
      return
    }
    throw new SheetError({
      code: 'ThemeInvalid',
      message: what,
      field: `contrast[${index}]`,
      loc: { file: rel(owner.file), line: locate(owner.doc, owner.lines, ['contrast', index]) },
      hint: 'darken the text colour or lighten the background until the ratio is met',
    })
  })
  return warnings
}

/** A path relative to the working directory, for messages. */
export function rel(file: string): string {
  return path.relative(process.cwd(), file) || file
}

// --- internal ---

function readLayer(templatesDir: string, name: string, from: ThemeLayer | undefined): ThemeLayer {
  const dir = path.join(templatesDir, name)
  const file = path.join(dir, 'theme.json')
  if (!ID_PATTERN.test(name) || !existsSync(file)) {
    const known = existsSync(templatesDir) ? readdirSync(templatesDir).filter((entry) => existsSync(path.join(templatesDir, entry, 'theme.json'))) : []
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `there is no theme "${name}" (no ${rel(file)})`,
      loc: from ? { file: rel(from.file), line: locate(from.doc, from.lines, ['extends']) } : { file: rel(dir) },
      field: from ? 'extends' : undefined,
      hint: known.length > 0 ? `themes here: ${known.join(', ')}` : 'create templates/<name>/theme.json, or pass --templates DIR',
    })
  }
  const lines = new LineCounter()
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, schema: 'core', uniqueKeys: true })
  const problem = doc.errors[0] ?? doc.warnings[0]
  if (problem) {
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `theme.json is not valid JSON: ${problem.message.split('\n')[0]}`,
      loc: { file: rel(file), line: lines.linePos(problem.pos[0]).line },
    })
  }
  const raw = doc.toJS({ maxAliasCount: 10 }) as unknown
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SheetError({ code: 'ThemeInvalid', message: 'theme.json must hold an object of settings', loc: { file: rel(file), line: 1 } })
  }
  const settings = raw as Record<string, unknown>
  if (settings.extends !== undefined && typeof settings.extends !== 'string') {
    throw new SheetError({
      code: 'ThemeInvalid',
      message: `expected the name of another theme (got ${describeValue(settings.extends)})`,
      field: 'extends',
      loc: { file: rel(file), line: locate(doc, lines, ['extends']) },
    })
  }
  return { name, dir, file, raw: settings, doc, lines }
}

function mergeSettings(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key]
    const bothMappings = isMapping(prior) && isMapping(value)
    // Lists (marks, weights, subsets) are replaced whole; mappings (colors, fonts, text, page) merge key by key.
    out[key] = bothMappings ? mergeSettings(prior, value) : value
  }
  return out
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
