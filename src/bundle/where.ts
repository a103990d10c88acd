/** Donor bundles, definitions and filters: which sheets of a manifest a bundle holds, read from the command line, and titled from them. */
import { closest, SheetError } from '../core/errors.ts'
import { fold } from '../core/format.ts'
import type { SheetFacts } from '../sheet/model.ts'
import { STATUSES } from '../record/schema.ts'
import type { Theme } from '../theme/theme.ts'
import type { Manifest, ManifestEntry } from '../output/manifest.ts'

/**
 * Which sheets a bundle holds. Values of one key are alternatives (fund AMIF or BMVI), keys must all hold (AMIF and
 * Jordan); matching ignores case, accents and curly apostrophes, as the catalogue does ("Cote d'Ivoire" finds
 * "Côte d’Ivoire"). Keys: facts.funds, facts.countries, facts.status, facts.programme. Empty: every sheet.
 */
export type Where = { fund?: string[]; country?: string[]; status?: string[]; programme?: string[] }

/** A named bundle: `name` (lowercase letters, digits, hyphens) gives out/bundles/<name>.pdf; `title` defaults to one built from `where`. */
export interface BundleDefinition {
  name: string
  title?: string
  where: Where
}

/** The filter keys, in the order they are written back ("fund=AMIF status=completed"). */
export const WHERE_KEYS = ['fund', 'country', 'status', 'programme'] as const

/**
 * Reads command-line filters: "fund=AMIF", "country=Jordan", "status=completed,ongoing" (commas and repeated keys add
 * alternatives). Throws SheetError UsageError for a missing "=", an unknown key, an empty value or an unknown status.
 */
export function parseWhere(args: readonly string[]): Where {
  const where: Where = {}
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq < 0) throw usage(`"${arg}" is not a filter: expected key=value`, EXAMPLE)
    const key = arg.slice(0, eq).trim().toLowerCase()
    if (!isKey(key)) {
      const guess = closest(key, WHERE_KEYS)
      throw usage(
        `unknown filter "${arg.slice(0, eq)}" in "${arg}" (expected one of ${WHERE_KEYS.join(', ')})`,
        guess ? `did you mean ${guess}=${arg.slice(eq + 1)}?` : EXAMPLE,
      )
    }
    const values = splitValues(arg.slice(eq + 1), key === 'status')
    if (values.length === 0) throw usage(`the filter "${arg}" has no value`, EXAMPLE)
    const unknown = key === 'status' ? values.find((value) => !(STATUSES as readonly string[]).includes(value)) : undefined
    if (unknown !== undefined) {
      const guess = closest(unknown, STATUSES)
      throw usage(`status=${unknown}: expected ${STATUSES.join(', ')}`, guess ? `did you mean status=${guess}?` : undefined)
    }
    where[key] = [...new Set([...(where[key] ?? []), ...values])]
  }
  return where
}

/** The sheets of a manifest that match a filter, sorted by title (then id). Entries without facts never match. */
export function selectSheets(manifest: Manifest, where: Where): ManifestEntry[] {
  const wanted = WHERE_KEYS.flatMap((key) => (where[key]?.length ? [[key, new Set(where[key].map(fold))] as const] : []))
  return manifest.sheets
    .filter((sheet) => sheet.facts && wanted.every(([key, values]) => FACTS[key](sheet.facts).some((value) => values.has(fold(value)))))
    .sort((a, b) => collator.compare(a.facts.title, b.facts.title) || (a.id < b.id ? -1 : 1))
}

/** "fund=AMIF status=completed,ongoing": a filter written back as command-line filters. */
export function describeWhere(where: Where): string {
  return WHERE_KEYS.flatMap((key) => (where[key]?.length ? [`${key}=${where[key].join(',')}`] : [])).join(' ')
}

/** A title built from a filter: "Ongoing MPF projects in Jordan funded by AMIF or BMVI", values spelt as the sheets spell them. */
export function bundleTitle(where: Where, sheets: readonly ManifestEntry[], theme: Theme): string {
  const spell = (key: Key) =>
    (where[key] ?? []).map((value) => sheets.flatMap((sheet) => FACTS[key](sheet.facts)).find((known) => fold(known) === fold(value)) ?? value)
  const programmes = spell('programme').map((key) => theme.programmes.get(key)?.short ?? key.toUpperCase())
  const head = [or(spell('status').map((status) => status.toLowerCase())), or(programmes), 'projects'].filter(Boolean).join(' ')
  const countries = spell('country')
  const funds = spell('fund')
  const title = `${head}${countries.length ? ` in ${or(countries)}` : ''}${funds.length ? ` funded by ${or(funds)}` : ''}`
  return title === 'projects' ? 'All projects' : title.charAt(0).toUpperCase() + title.slice(1)
}

/** The error for a filter that matches no sheet: "no sheet matches fund=XYZ", with the values of its keys that exist, and the closest. */
export function noMatchError(manifest: Manifest, where: Where): SheetError {
  const sheets = manifest.sheets.filter((sheet) => sheet.facts)
  const hints = WHERE_KEYS.filter((key) => where[key]?.length).map((key) => {
    const known = [...new Set(sheets.flatMap((sheet) => FACTS[key](sheet.facts)))].sort(collator.compare)
    const unknown = where[key]!.filter((value) => !known.some((k) => fold(k) === fold(value)))
    const guess = unknown.map((value) => closest(value, known)).find(Boolean)
    return `${guess ? `did you mean ${key}=${guess}? ` : ''}${PLURAL[key]} that exist: ${known.join(', ') || 'none'}`
  })
  const hint = sheets.length === 0 ? 'the manifest lists no sheets: build them first' : hints.join('; ')
  return usage(`no sheet matches ${describeWhere(where) || 'the filter'}`, hint)
}

/** "a, b,,c " → ["a", "b", "c"] (in lower case when asked): the values of one filter. */
export function splitValues(text: string, lower = false): string[] {
  return text
    .split(',')
    .map((value) => (lower ? value.trim().toLowerCase() : value.trim()))
    .filter(Boolean)
}

// --- internal ---

type Key = (typeof WHERE_KEYS)[number]

const FACTS: Record<Key, (facts: SheetFacts) => readonly string[]> = {
  fund: (facts) => facts.funds,
  country: (facts) => facts.countries,
  status: (facts) => [facts.status],
  programme: (facts) => (facts.programme ? [facts.programme] : []),
}
const PLURAL: Record<Key, string> = { fund: 'funds', country: 'countries', status: 'statuses', programme: 'programmes' }
const EXAMPLE = 'write filters as key=value, such as fund=AMIF, country=Jordan or status=completed,ongoing'
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
const isKey = (key: string): key is Key => (WHERE_KEYS as readonly string[]).includes(key)
const or = (items: readonly string[]) => new Intl.ListFormat('en', { type: 'disjunction' }).format(items)

function usage(message: string, hint?: string): SheetError {
  return new SheetError({ code: 'UsageError', message, hint })
}
