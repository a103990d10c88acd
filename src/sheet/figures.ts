/** The sheet's figures as model data: the locator map (SVG) and the budget chart (bars by fund, per currency). */
import { formatList, formatMoney, isolate, printable, sumByCurrency } from '../core/format.ts'
import { placeCountries, resolvePlaces, type PlaceGroups } from '../core/places.ts'
import type { Words } from '../theme/language-schema.ts'
import type { ThemeTokens } from '../theme/schema.ts'
import { drawMap } from './map.ts'

/** The locator map as a template prints it: `{{{map.svg}}}`. */
export interface MapModel {
  /** `<svg class="map" role="img" aria-label="Map: EU countries and Jordan" …>`: built by the pipeline, safe to print raw. */
  svg: string
  /** "Map: EU countries and Jordan" */
  label: string
  /** Bytes of the SVG (for the build's figures). */
  bytes: number
}

/** One bar: a fund's money in one currency. */
export interface ChartBar {
  /** The fund, or the theme's chartOther words for lines without one. */
  fund: string
  /** "EUR 189,403.21" */
  amount: string
  /** Its share of the currency's total, 0-100, for a CSS width: `style="width: {{percent}}%"`. */
  percent: number
  /** "48%" */
  share: string
  /** "EUR 189,403.21 (from AMIF)": the line as the key facts word it (the theme's fundedFrom). */
  text: string
}

/** The budget chart: one group of bars per currency (never adding one currency to another). */
export interface ChartModel {
  /** "Budget by fund" */
  title: string
  /** "Budget by fund: AMIF EUR 189,403.21, ISF-Police EUR 206,308.69": every fund and amount, the chart's alt text. */
  label: string
  currencies: { currency: string; total: string; bars: ChartBar[] }[]
  /** True when the lines are in more than one currency: templates then name each group's currency. */
  several: boolean
}

/** A budget line in exact minor units. */
export interface MoneyLine {
  fund: string | null
  currency: string
  minor: bigint
}

/**
 * The map of a record's countries (groups drawn as their members), or null when the theme hides it or nothing is
 * drawable; `names` are the entries as the sheet prints them (its label names them).
 */
export function buildMap(entries: readonly string[], names: readonly string[], tokens: Pick<ThemeTokens, 'map' | 'groups'>, text: Pick<Words, 'mapLabel'>, lang: string): MapModel | null {
  if (!tokens.map.show) return null
  // Many records share a country list: a theme's maps are drawn once per list (the theme's groups object keys the cache).
  const cache = drawnMaps.get(tokens.groups) ?? new Map<string, MapModel | null>()
  drawnMaps.set(tokens.groups, cache)
  const key = JSON.stringify([entries, names, lang, tokens.map, text.mapLabel])
  if (cache.has(key)) return cache.get(key) ?? null
  const map = drawPlaces(entries, names, tokens, text, lang)
  if (cache.size < MAX_CACHED_MAPS) cache.set(key, map)
  return map
}

/** The chart of money lines by fund and currency; null for fewer than two lines or when the theme hides it. */
export function buildChart(
  lines: readonly MoneyLine[],
  tokens: Pick<ThemeTokens, 'chart'>,
  text: Pick<Words, 'chartTitle' | 'chartOther' | 'fundedFrom' | 'chartLabel'>,
  lang: string,
  currencies?: readonly string[],
  dir: 'ltr' | 'rtl' = 'ltr',
): ChartModel | null {
  if (!tokens.chart.show || lines.length < 2) return null
  const title = text.chartTitle
  const order = currencies ?? [...new Set(lines.map((line) => line.currency))]
  const groups = order.map((currency) => {
    const funds = new Map<string, bigint>()
    for (const line of lines.filter((each) => each.currency === currency)) {
      const fund = line.fund ?? text.chartOther
      funds.set(fund, (funds.get(fund) ?? 0n) + line.minor)
    }
    const [total] = sumByCurrency([...funds.values()].map((minor) => ({ currency, minor })), lang)
    const sum = BigInt(total?.minor ?? '0')
    const bars = [...funds].map(([fund, minor]) => {
      const percent = sum === 0n ? 0 : Number((minor * 10000n) / sum) / 100
      const amount = formatMoney(minor, currency, lang)
      const words = fund === text.chartOther ? amount : fill(text.fundedFrom, { amount: isolate(amount, dir), fund: isolate(fund, dir) })
      return { fund, amount, percent, share: printable(percentFormat(lang).format(percent / 100)), text: words }
    })
    return { currency, total: total?.amount ?? '', bars }
  })
  const spoken = groups.flatMap((group) => group.bars.map((bar) => `${bar.fund} ${bar.amount}`))
  const shown = groups.filter((group) => group.bars.length > 0)
  return { title, label: fill(text.chartLabel, { title, lines: formatList(spoken, lang, 'unit') }), currencies: shown, several: shown.length > 1 }
}

// --- internal ---

function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key] : whole))
}

const percentFormats = new Map<string, Intl.NumberFormat>()
function percentFormat(lang: string): Intl.NumberFormat {
  let format = percentFormats.get(lang)
  if (!format) percentFormats.set(lang, (format = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 })))
  return format
}

const drawnMaps = new WeakMap<object, Map<string, MapModel | null>>()
/** A theme's maps kept in this process (the first ones drawn); the others come from map.ts's caches (see MAX_DRAWN there). */
const MAX_CACHED_MAPS = 64

function drawPlaces(entries: readonly string[], names: readonly string[], tokens: Pick<ThemeTokens, 'map' | 'groups'>, text: Pick<Words, 'mapLabel'>, lang: string): MapModel | null {
  const places = resolvePlaces(entries, tokens.groups as PlaceGroups)
  const isDrawn = places.map((place) => place.kind === 'country' || (place.kind === 'group' && place.members.length > 0))
  const drawable = places.filter((_, i) => isDrawn[i])
  if (drawable.length === 0) return null
  const named = names.filter((_, i) => isDrawn[i])
  const label = fill(text.mapLabel, { places: formatList(named, lang, 'conjunction') })
  const map = drawMap(placeCountries(drawable), label, tokens.map)
  return map && { svg: map.svg, label, bytes: Buffer.byteLength(map.svg) }
}
