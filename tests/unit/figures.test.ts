/** The locator map and the budget chart as model data: what is drawn, how big, what the alt text says. */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildChart, buildMap } from '../../src/sheet/figures.ts'
import { loadTheme } from '../../src/theme/theme.ts'

const theme = loadTheme(path.resolve(import.meta.dirname, '..', '..', 'templates'), 'mpf', process.cwd())
const english = theme.languages.get('en')!.text
const EUROPE_AND_NEIGHBOURS = ['EU countries', 'Norway', 'Switzerland', 'Iceland', 'Liechtenstein', 'Albania', 'Serbia', 'Montenegro', 'Jordan', 'Morocco']

/** Size budget of a map's SVG: a 37-country map stays under it. */
const MAP_BUDGET_BYTES = 40 * 1024

describe('buildMap', () => {
  it('#12 draws a 37-country list as one SVG under the size budget, named in its alt text', () => {
    const map = buildMap(EUROPE_AND_NEIGHBOURS, EUROPE_AND_NEIGHBOURS, theme.tokens, english, 'en')
    expect(map).not.toBeNull()
    expect(map!.bytes).toBeLessThan(MAP_BUDGET_BYTES)
    expect(map!.svg).toMatch(/^<svg class="map" role="img" aria-label="Map: EU countries, Norway, Switzerland/)
    expect(map!.svg.match(/class="map-country"/g)).toHaveLength(1)
    // Malta is too small to see at this scale: it gets a ring.
    expect(map!.svg).toContain('class="map-marker"')
  })

  it('#12 names the countries with the sheet\'s words: "Map: EU countries and Jordan"', () => {
    expect(buildMap(['EU countries', 'Jordan'], ['EU countries', 'Jordan'], theme.tokens, english, 'en')?.label).toBe('Map: EU countries and Jordan')
  })

  it('#12 draws no map, and throws nothing, for a record with no drawable place', () => {
    expect(buildMap(['neighbouring countries in the region'], ['neighbouring countries in the region'], theme.tokens, english, 'en')).toBeNull()
    expect(buildMap(['Jordan'], ['Jordan'], { ...theme.tokens, map: { ...theme.tokens.map, show: false } }, english, 'en')).toBeNull()
  })

  it('leaves words that are no place out of the label', () => {
    expect(buildMap(['Malta', 'other partner countries'], ['Malta', 'other partner countries'], theme.tokens, english, 'en')?.label).toBe('Map: Malta')
  })
})

describe('buildChart', () => {
  const lines = [
    { fund: 'AMIF', currency: 'EUR', minor: 18940321n },
    { fund: 'SEM', currency: 'CHF', minor: 18500000n },
    { fund: 'ISF-Police', currency: 'EUR', minor: 20630869n },
  ]

  it('#12 keeps currencies apart and names every fund and amount in its alt text', () => {
    const chart = buildChart(lines, theme.tokens, english, 'en')!
    expect(chart.currencies.map((group) => [group.currency, group.bars.map((bar) => [bar.fund, bar.share])])).toEqual([
      ['EUR', [['AMIF', '48%'], ['ISF-Police', '52%']]],
      ['CHF', [['SEM', '100%']]],
    ])
    expect(chart.label.replace(/\u00a0/g, ' ')).toBe('Budget by fund: AMIF EUR 189,403.21, ISF-Police EUR 206,308.69, SEM CHF 185,000.00')
    expect(chart.several).toBe(true)
  })

  it('#12 draws no chart for a single budget line', () => {
    expect(buildChart(lines.slice(0, 1), theme.tokens, english, 'en')).toBeNull()
  })
})
