/** A record's `countries` entries as a sheet prints them in its language: Intl.DisplayNames for countries, the theme's words for groups. */
import { countryCode, resolvePlace, type PlaceGroups } from '../core/places.ts'
import type { Language } from '../theme/theme.ts'

/** The printed names, one per entry, and a warning per entry left as written in a sheet of another language. */
export interface PlaceNames {
  names: string[]
  warnings: string[]
}

/**
 * Names each entry for a sheet in `tag`: an override of the translation first; a country by Intl.DisplayNames (an
 * English sheet keeps a name as the record writes it, and names an ISO code); a group of the theme by the language's
 * words; any other entry as written, with a warning when the sheet is a translation (`translated`) without an override.
 */
export function placeNames(entries: readonly string[], groups: PlaceGroups, language: Language, tag: string, overrides: Readonly<Record<string, string>> = {}, translated = false): PlaceNames {
  const warnings: string[] = []
  const names = entries.map((entry) => {
    if (Object.hasOwn(overrides, entry)) return overrides[entry]
    const place = resolvePlace(entry, groups)
    if (place.kind === 'group') return language.groups[place.name] ?? place.name
    if (place.kind === 'country') return language.lang === 'en' && !isCode(entry) ? entry : (regionNames(tag).of(place.iso2) ?? entry)
    if (translated) warnings.push(`the countries entry "${entry}" is printed as the record writes it: give its words in this translation (countries: { "${entry}": … })`)
    return entry
  })
  return { names, warnings }
}

// --- internal ---

const displayNames = new Map<string, Intl.DisplayNames>()

function regionNames(tag: string): Intl.DisplayNames {
  let names = displayNames.get(tag)
  if (!names) displayNames.set(tag, (names = new Intl.DisplayNames([tag, 'en'], { type: 'region', fallback: 'none' })))
  return names
}

/** "JO", "jo": an entry written as an ISO 3166 alpha-2 code. */
function isCode(entry: string): boolean {
  return /^\s*[A-Za-z]{2}\s*$/.test(entry) && countryCode(entry) !== undefined
}
