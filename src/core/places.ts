/** What a record's `countries` entries are: a country (ISO 3166 codes), a group of countries, or words that are no place. */
// The library without its entry point, which registers all of its eighty languages' names (the programme needs three).
import countries from 'i18n-iso-countries/index.js'
import { createRequire } from 'node:module'
import { fold } from './format.ts'

/** The languages a countries entry may be written in: English first, then the programme's others (Jordanie, الأردن). */
const NAME_LANGUAGES = ['en', 'fr', 'ar'] as const
// Read with require: the compiled command keeps packages external, and an import of JSON would need an attribute there.
for (const lang of NAME_LANGUAGES) countries.registerLocale(createRequire(import.meta.url)(`i18n-iso-countries/langs/${lang}.json`) as countries.LocaleData)

/** A country, with the codes a map (numeric) and Intl.DisplayNames (alpha-2) need. */
export interface CountryPlace {
  kind: 'country'
  /** The entry as the record wrote it. */
  name: string
  /** ISO 3166-1 alpha-2, such as JO; XK for Kosovo (a user-assigned code, as CLDR uses). */
  iso2: string
  /** ISO 3166-1 alpha-3, such as JOR; XKX for Kosovo. */
  iso3: string
  /** ISO 3166-1 numeric, such as 400; null for Kosovo, which has none. */
  numeric: string | null
}

/** A named group of countries ("EU countries"), as its members. */
export interface GroupPlace {
  kind: 'group'
  name: string
  members: CountryPlace[]
}

/** An entry that names no country or group ("neighbouring countries in the region"). */
export interface OtherPlace {
  kind: 'other'
  text: string
}

/** One `countries` entry, resolved. */
export type Place = CountryPlace | GroupPlace | OtherPlace

/**
 * Groups by name: each member is an ISO alpha-2 code, a country name, or the name of another group ("EU Member States":
 * ["EU countries"]). Names match folded (case, accents and apostrophes ignored). Themes keep them in theme.json `groups`.
 */
export type PlaceGroups = Readonly<Record<string, readonly string[]>>

/** The ISO alpha-2 code of a country name in English (or an alias such as "Cabo Verde"), or of a code; undefined if none. */
export function countryCode(name: string): string | undefined {
  // A lookup by name reads every country's names in three languages: each name is looked up once per process.
  if (knownCodes.has(name)) return knownCodes.get(name)
  if (knownCodes.size >= MAX_KNOWN) knownCodes.clear()
  const code = lookUpCode(name)
  knownCodes.set(name, code)
  return code
}

/** Country names looked up in this process, and their codes; forgotten all at once past MAX_KNOWN. */
const knownCodes = new Map<string, string | undefined>()
const MAX_KNOWN = 4096

function lookUpCode(name: string): string | undefined {
  const folded = fold(name).replace(/\s+/g, ' ')
  if (/^[a-z]{2}$/.test(folded) && countries.isValid(folded.toUpperCase())) return folded.toUpperCase()
  const alias = ALIASES[folded] ?? ALIASES[folded.replace(/^the /, '')]
  if (alias) return alias
  for (const lang of NAME_LANGUAGES) {
    const code = countries.getSimpleAlpha2Code(folded, lang) ?? countries.getSimpleAlpha2Code(folded.replace(/^the /, ''), lang)
    if (code) return code
  }
  return undefined
}

/** The country of an ISO alpha-2 code, named `name`. */
export function countryPlace(iso2: string, name: string): CountryPlace {
  const numeric = iso2 === 'XK' ? null : (countries.alpha2ToNumeric(iso2) ?? null)
  return { kind: 'country', name, iso2, iso3: iso2 === 'XK' ? 'XKX' : (countries.alpha2ToAlpha3(iso2) ?? iso2), numeric }
}

/** Resolves one entry: a group named in `groups` first, then a country, else words that are no place. */
export function resolvePlace(entry: string, groups: PlaceGroups = {}): Place {
  const members = expandGroup(entry, groups, 0)
  if (members) return { kind: 'group', name: entry, members }
  const iso2 = countryCode(entry)
  return iso2 ? countryPlace(iso2, entry) : { kind: 'other', text: entry }
}

/** Resolves every entry, in the record's order. */
export function resolvePlaces(entries: readonly string[], groups: PlaceGroups = {}): Place[] {
  return entries.map((entry) => resolvePlace(entry, groups))
}

/** The distinct countries of resolved places, groups expanded, in first-seen order. */
export function placeCountries(places: readonly Place[]): CountryPlace[] {
  const seen = new Map<string, CountryPlace>()
  for (const place of places) {
    const list = place.kind === 'group' ? place.members : place.kind === 'country' ? [place] : []
    for (const country of list) if (!seen.has(country.iso2)) seen.set(country.iso2, country)
  }
  return [...seen.values()]
}

// --- internal ---

/** How deep groups may name groups. */
const MAX_GROUP_DEPTH = 4

function expandGroup(entry: string, groups: PlaceGroups, depth: number): CountryPlace[] | undefined {
  if (depth > MAX_GROUP_DEPTH) return undefined
  const key = fold(entry)
  const name = Object.keys(groups).find((candidate) => fold(candidate) === key || fold(candidate) === key.replace(/^the /, ''))
  if (name === undefined) return undefined
  const members = new Map<string, CountryPlace>()
  for (const member of groups[name]) {
    const nested = expandGroup(member, groups, depth + 1)
    const list = nested ?? (countryCode(member) ? [countryPlace(countryCode(member) as string, member)] : [])
    for (const country of list) members.set(country.iso2, country)
  }
  return [...members.values()]
}

/**
 * Names i18n-iso-countries does not know, folded (see fold()): short forms and official names people write in records.
 * Curly apostrophes need no entry: fold() makes them straight.
 */
const ALIASES: Readonly<Record<string, string>> = {
  'cabo verde': 'CV',
  'republic of moldova': 'MD',
  moldova: 'MD',
  'republic of north macedonia': 'MK',
  syria: 'SY',
  'syrian arab republic': 'SY',
  vatican: 'VA',
  'holy see': 'VA',
  'democratic republic of the congo': 'CD',
  'dr congo': 'CD',
  'republic of the congo': 'CG',
  'cote divoire': 'CI',
  'ivory coast': 'CI',
  laos: 'LA',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'north korea': 'KP',
  'state of palestine': 'PS',
  'occupied palestinian territory': 'PS',
  'united states': 'US',
  'united kingdom': 'GB',
  'great britain': 'GB',
  'russian federation': 'RU',
  'eswatini': 'SZ',
  'timor-leste': 'TL',
  'micronesia': 'FM',
  'turkiye': 'TR',
  'brunei': 'BN',
}
