/** Donor bundles, the cover's money and figures: the filtered fund's share, the projects' total, a map and a chart of the bundle. */
import { fold, formatList, sumByCurrency, type CurrencyTotal } from '../core/format.ts'
import { buildChart, buildMap, type ChartModel, type MapModel, type MoneyLine } from '../sheet/figures.ts'
import { placeNames } from '../sheet/place-names.ts'
import { formatLocale, type Language } from '../theme/languages.ts'
import type { Theme } from '../theme/theme.ts'
import type { ManifestEntry } from '../output/manifest.ts'
import type { Where } from './where.ts'

/** The money and figures of a bundle's cover. */
export interface CoverFigures {
  /** When the bundle filters by fund: that fund's money in these projects, per currency ("AMIF share": EUR 4,975,653.71). */
  share: { label: string; totals: CurrencyTotal[] } | null
  /** Every fund of these projects, per currency, labelled ("Total budget" or, beside a share, "Total budget of the projects, all funds"). */
  total: { label: string; totals: CurrencyTotal[] }
  /** A map of every country of the bundle, or null. */
  map: MapModel | null
  /** The bundle's money by fund, per currency, or null with fewer than two budget lines. */
  chart: ChartModel | null
}

/**
 * Sums the bundle's budget lines exactly, in minor units: the share of the funds the bundle filters on (matched as
 * selectSheets matches them) and the total of all funds. Currencies come in one stable order everywhere on the cover:
 * the one most of the projects use first, then by code.
 */
export function buildCoverFigures(sheets: readonly ManifestEntry[], where: Where, theme: Theme, language: Language, lang: string): CoverFigures {
  const locale = formatLocale(lang, language)
  const text = language.text
  const lines: MoneyLine[] = sheets.flatMap((sheet) => sheet.facts.lines.map((line) => ({ ...line, minor: BigInt(line.minor) })))
  const order = currencyOrder(sheets)
  const ordered = (totals: CurrencyTotal[]) => [...totals].sort((a, b) => order.indexOf(a.currency) - order.indexOf(b.currency))
  const funds = where.fund ?? []
  const wanted = new Set(funds.map(fold))
  const share = funds.length > 0
    ? { label: text.bundleShare.replace('{funds}', formatList(funds, locale, 'conjunction')), totals: ordered(sumByCurrency(lines.filter((line) => line.fund !== null && wanted.has(fold(line.fund))), locale)) }
    : null
  const total = { label: share ? text.bundleTotalAll : text.bundleTotalBudget, totals: ordered(sumByCurrency(lines, locale)) }
  const countries = [...new Map(sheets.flatMap((sheet) => sheet.facts.countries).map((name) => [fold(name), name])).values()]
  return {
    share,
    total,
    map: buildMap(countries, placeNames(countries, theme.tokens.groups, language, lang).names, theme.tokens, text, locale),
    chart: buildChart(lines, theme.tokens, text, locale, order, language.dir),
  }
}

/** Currencies by the number of projects that budget in them (most first), then by code. */
export function currencyOrder(sheets: readonly ManifestEntry[]): string[] {
  const uses = new Map<string, number>()
  for (const sheet of sheets) for (const currency of new Set(sheet.facts.lines.map((line) => line.currency))) uses.set(currency, (uses.get(currency) ?? 0) + 1)
  return [...uses].sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0)).map(([currency]) => currency)
}
