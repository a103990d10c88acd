/** A record read as its author meant it: a misspelt field checked as the missing field it is close to, an amount split by thousands separators put back together. */
import { isMap, isScalar, type Node } from 'yaml'
import { closest, SheetError } from '../core/errors.ts'
import { fieldName, locate } from '../core/located-yaml.ts'
import type { SourceRecord } from './load.ts'

/** A record's front matter as meant, what was changed to read it so, and where each field of it is in the file. */
export interface Reading {
  /** The data with misspelt keys renamed and split amounts joined. */
  data: unknown
  /** One error for each such repair, at its line: the record still fails, but every other check sees what was meant. */
  errors: SheetError[]
  /** The path in the file of a path in `data` (a renamed key back to its spelling in the file), for locating lines. */
  place(at: readonly (string | number)[]): (string | number)[]
}

/** The keys each mapping of a record takes; the top level's are given by the caller (from the schema). */
export const NESTED_KEYS = { period: ['start', 'end'], budget: ['amount', 'currency', 'fund'] } as const

/**
 * Reads a record's data as meant: an unknown key whose closest known key is missing from its mapping is renamed to it
 * (`budjet:` is checked as `budget:`, reported once at its own line), and a budget line written `{ amount: 1,250,000.50 }`
 * (which YAML reads as three keys) gets its amount back (reported as a thousands-separator error).
 */
export function readAsMeant(source: SourceRecord, topKeys: readonly string[]): Reading {
  const renames: Rename[] = []
  const errors: SheetError[] = []
  const place = (at: readonly (string | number)[]) => at.map((part, depth) => renames.find((r) => r.to === part && sameParent(r.at, at, depth))?.from ?? part)
  const rename = (value: unknown, at: (string | number)[], known: readonly string[]) => renameKeys(value, at, known, renames)
  const data = rename(source.data, [], topKeys)
  if (isMapping(data)) {
    if ('period' in data) data.period = rename(data.period, ['period'], NESTED_KEYS.period)
    if (Array.isArray(data.budget)) {
      const budget = data.budget.map((line: unknown, index) => joinSplitAmount(source, line, index, errors, place))
      data.budget = budget.map((line, index) => rename(line, ['budget', index], NESTED_KEYS.budget))
    }
  }
  for (const { at, from, to } of renames) {
    errors.push(
      new SheetError({
        code: 'UnknownField',
        message: `is not a field of ${at.length ? fieldName(at) : 'a record'}: checked as "${to}", the missing field closest to it`,
        field: fieldName([...at, from]),
        hint: `rename ${from}: to ${to}:`,
        loc: { file: source.file, line: locate(source.doc, source.lines, [...place(at), from], true) },
      }),
    )
  }
  return { data, errors, place }
}

// --- internal ---

interface Rename {
  /** The mapping's path in the data as meant. */
  at: (string | number)[]
  from: string
  to: string
}

function sameParent(parent: readonly (string | number)[], at: readonly (string | number)[], depth: number): boolean {
  return parent.length === depth && parent.every((part, i) => part === at[i])
}

/** A copy of the mapping with each unknown key that is a near miss of a missing known key renamed (keys keep their order). */
function renameKeys(value: unknown, at: (string | number)[], known: readonly string[], renames: Rename[]): unknown {
  if (!isMapping(value)) return value
  const missing = known.filter((key) => !(key in value))
  const taken = new Set<string>()
  const entries = Object.entries(value).map(([key, item]): [string, unknown] => {
    if (known.includes(key)) return [key, item]
    const guess = closest(key, missing)
    if (!guess || taken.has(guess)) return [key, item]
    taken.add(guess)
    renames.push({ at, from: key, to: guess })
    return [guess, item]
  })
  return Object.fromEntries(entries)
}

/** `{ amount: 1,250,000.50, currency: EUR }`: YAML reads `amount: 1` and keys 250 and 0.5; the amount is put back together. */
function joinSplitAmount(
  source: SourceRecord,
  line: unknown,
  index: number,
  errors: SheetError[],
  place: (at: readonly (string | number)[]) => (string | number)[],
): unknown {
  // A split amount leaves its pieces as keys without values (250, 0.5): only then is the document looked at.
  if (!isMapping(line) || !Object.entries(line).some(([key, value]) => value === null && /^\d/.test(key))) return line
  // The list may sit under a misspelt key (`budjet:`): its node is found where the record wrote it.
  const node = source.doc?.getIn(place(['budget', index]), true) as Node | undefined
  if (!isMapping(line) || !isMap(node) || !node.flow || !node.range) return line
  const written = /\bamount\s*:\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*(?=[,}])/.exec(source.text.slice(node.range[0], node.range[1]))
  if (!written) return line
  const joined = written[1].replace(/,/g, '')
  errors.push(
    new SheetError({
      code: 'InvalidField',
      message: `has thousands separators, which YAML reads as separate fields (got ${written[1]})`,
      field: fieldName(['budget', index, 'amount']),
      hint: `write ${joined}, without thousands separators`,
      loc: { file: source.file, line: locate(source.doc, source.lines, place(['budget', index, 'amount'])) },
    }),
  )
  // The pieces after each comma came back as keys without values (250, 0.5): they were never fields.
  const pieces = new Set(node.items.flatMap((pair) => (isScalar(pair.key) && pair.value === null && typeof pair.key.value === 'number' ? [String(pair.key.value)] : [])))
  return { ...Object.fromEntries(Object.entries(line).filter(([key]) => !pieces.has(key))), amount: Number(joined) }
}

function isMapping(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
