/** Donor bundles, definitions and filters: which sheets of a manifest a bundle holds, read from the command line, and titled from them. */
import { closest, SheetError } from '../core/errors.ts'
import { fold } from '../core/format.ts'
import type { SheetFacts } from '../sheet/model.ts'
import { STATUSES } from '../record/schema.ts'
import { placeNames } from '../sheet/place-names.ts'
import type { Language, Theme } from '../theme/theme.ts'
import type { Manifest, ManifestEntry } from '../output/manifest.ts'

/**
 * Which sheets a bundle holds. Values of one key are alternatives (fund AMIF or BMVI), keys must all hold (AMIF and
 * Jordan); matching ignores case, accents and curly apostrophes, as the catalogue does ("Cote d'Ivoire" finds
 * "Côte d’Ivoire"). Keys: facts.funds, facts.countries, facts.status, facts.programme, facts.lang. Empty: every sheet.
 */
export type Where = { fund?: string[]; country?: string[]; status?: string[]; programme?: string[]; lang?: string[] }

/** A named bundle: `name` (lowercase letters, digits, hyphens) gives out/bundles/<name>.pdf; `title` defaults to one built from `where`. */
export interface BundleDefinition {
  name: string
  title?: string
  where: Where
  /** The language of the cover and contents (and of the sheets chosen, one per project); default: see bundleLanguage. */
  lang?: string
}

/** The filter keys, in the order they are written back ("fund=AMIF status=completed"). */
export const WHERE_KEYS = ['fund', 'country', 'status', 'programme', 'lang'] as const

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

/**
 * The sheets of a manifest that match a filter, sorted by title (then id). Entries without facts never match. Without a
 * lang filter, each project comes once: its sheet in `lang` when it has one (a translation, <id>.<lang>), else its record's.
 */
export function selectSheets(manifest: Manifest, where: Where, lang?: string): ManifestEntry[] {
  const wanted = WHERE_KEYS.flatMap((key) => (where[key]?.length ? [[key, new Set(where[key].map(fold))] as const] : []))
  const matching = manifest.sheets.filter((sheet) => sheet.facts && wanted.every(([key, values]) => FACTS[key](sheet.facts).some((value) => values.has(fold(value)))))
  const projects = new Map<string, ManifestEntry[]>()
  for (const sheet of matching) projects.set(projectOf(sheet.id), [...(projects.get(projectOf(sheet.id)) ?? []), sheet])
  const chosen = where.lang?.length ? matching : [...projects.values()].map((sheets) => sheets.find((sheet) => sheet.facts.lang === lang) ?? sheets.find((sheet) => !sheet.id.includes('.')) ?? sheets[0])
  return chosen.sort((a, b) => collator.compare(a.facts.title, b.facts.title) || (a.id < b.id ? -1 : 1))
}

/**
 * A bundle's language: its definition's (--bundle-lang), else the one language its lang filter names, else the language
 * every matching record is written in, else English.
 */
export function bundleLanguage(manifest: Manifest, definition: BundleDefinition): string {
  if (definition.lang) return definition.lang
  if (definition.where.lang?.length === 1) return definition.where.lang[0]
  const records = selectSheets(manifest, { ...definition.where, lang: undefined }).filter((sheet) => !sheet.id.includes('.'))
  const languages = new Set(records.map((sheet) => sheet.facts.lang))
  return languages.size === 1 ? [...languages][0] : 'en'
}

/** The project a sheet belongs to: its id, or the record id of a translation (jempas-ii.fr → jempas-ii). */
export function projectOf(id: string): string {
  return id.split('.')[0]
}

/** "fund=AMIF status=completed,ongoing": a filter written back as command-line filters. */
export function describeWhere(where: Where): string {
  return WHERE_KEYS.flatMap((key) => (where[key]?.length ? [`${key}=${where[key].join(',')}`] : [])).join(' ')
}

/**
 * A title built from a filter: "Ongoing MPF projects in Jordan funded by AMIF or BMVI", values spelt as the sheets spell
 * them; in another language, from the theme's words (bundleAll, bundleIn, bundleFundedBy).
 */
export function bundleTitle(where: Where, sheets: readonly ManifestEntry[], theme: Theme, language?: Language, lang = 'en'): string {
  const spell = (key: Key) =>
    (where[key] ?? []).map((value) => sheets.flatMap((sheet) => FACTS[key](sheet.facts)).find((known) => fold(known) === fold(value)) ?? value)
  if (language && language.lang !== 'en') {
    const list = (items: string[]) => new Intl.ListFormat(lang, { type: 'disjunction' }).format(items)
    const countries = spell('country').map((country) => placeNames([country], theme.tokens.groups, language, lang).names[0])
    const inCountries = countries.length ? language.text.bundleIn.replace('{title}', language.text.bundleAll).replace('{countries}', list(countries)) : language.text.bundleAll
    return spell('fund').length ? language.text.bundleFundedBy.replace('{title}', inCountries).replace('{funds}', list(spell('fund'))) : inCountries
  }
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
  lang: (facts) => [facts.lang],
}
const PLURAL: Record<Key, string> = { fund: 'funds', country: 'countries', status: 'statuses', programme: 'programmes', lang: 'languages' }
const EXAMPLE = 'write filters as key=value, such as fund=AMIF, country=Jordan, status=completed,ongoing or lang=fr'
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })
const isKey = (key: string): key is Key => (WHERE_KEYS as readonly string[]).includes(key)
const or = (items: readonly string[]) => new Intl.ListFormat('en', { type: 'disjunction' }).format(items)

function usage(message: string, hint?: string): SheetError {
  return new SheetError({ code: 'UsageError', message, hint })
}
