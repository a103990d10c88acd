/** Country names to ISO codes, groups expanded, words that are no place left as they are. */
import { describe, expect, it } from 'vitest'
import { countryCode, placeCountries, resolvePlace, resolvePlaces } from '../../src/core/places.ts'

const GROUPS = { 'EU countries': ['AT', 'MT', 'DE'], 'EU Member States': ['EU countries'], 'Western Balkans': ['AL', 'BA', 'XK', 'ME', 'MK', 'RS'] }

describe('countryCode', () => {
  it.each([
    ['Jordan', 'JO'],
    ['Türkiye', 'TR'],
    ['Turkey', 'TR'],
    ["Côte d'Ivoire", 'CI'],
    ['Côte d’Ivoire', 'CI'],
    ['Cabo Verde', 'CV'],
    ['Republic of Moldova', 'MD'],
    ['Czech Republic', 'CZ'],
    ['Kosovo', 'XK'],
    ['São Tomé and Príncipe', 'ST'],
    ['the Netherlands', 'NL'],
    ['MT', 'MT'],
  ])('#12 resolves "%s" to %s', (name, code) => {
    expect(countryCode(name)).toBe(code)
  })

  it('finds no country in words that are no place', () => {
    expect(countryCode('neighbouring countries in the region')).toBeUndefined()
  })
})

describe('resolvePlaces', () => {
  it('#12 expands groups, also groups named by groups, and keeps the record\'s words', () => {
    const places = resolvePlaces(['EU Member States', 'Jordan', 'neighbouring countries in the region'], GROUPS)
    expect(places.map((place) => place.kind)).toEqual(['group', 'country', 'other'])
    expect(placeCountries(places).map((country) => country.iso2)).toEqual(['AT', 'MT', 'DE', 'JO'])
    expect(resolvePlace('the western balkans', GROUPS)).toMatchObject({ kind: 'group', name: 'the western balkans' })
  })

  it('gives Kosovo no numeric code and Jordan its ISO codes', () => {
    expect(resolvePlace('Kosovo')).toEqual({ kind: 'country', name: 'Kosovo', iso2: 'XK', iso3: 'XKX', numeric: null })
    expect(resolvePlace('Jordan')).toEqual({ kind: 'country', name: 'Jordan', iso2: 'JO', iso3: 'JOR', numeric: '400' })
  })
})
