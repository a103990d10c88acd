/** Stage 3: SheetRecord + Theme → SheetModel, everything a template prints, already worded and formatted. */
import path from 'node:path'
import { currencyDigits, formatList, formatMoney, formatMonth, isolate, parseCalendarDate, sumByCurrency, toMinorUnits, type CurrencyTotal } from '../core/format.ts'
import { renderMarkdown } from '../core/markdown.ts'
import type { Programme, Theme } from '../theme/theme.ts'
import type { SheetRecord } from '../record/validate.ts'
import type { RecordFields } from '../record/schema.ts'
import { formatLocale, type Language } from '../theme/languages.ts'
import type { Words } from '../theme/language-schema.ts'
import { buildChart, buildMap, type ChartModel, type MapModel } from './figures.ts'
import { placeNames } from './place-names.ts'
import { programmeFor, sheetLanguage } from './language.ts'

export { programmeFor, sheetLanguage } from './language.ts'

export type { ChartModel, MapModel } from './figures.ts'

/** One budget line as printed. */
export interface BudgetLineModel {
  /** "EUR 189,403.21" */
  amount: string
  currency: string
  fund: string | null
  /** "EUR 189,403.21 (from AMIF)" */
  text: string
}

/** The total of one currency's lines: exact minor units as a decimal string, and as printed ("EUR 395,711.90"). */
export type BudgetTotalModel = CurrencyTotal

/** A total as the key facts print it: with its line in the sheet's words ("Total: EUR 395,711.90"). */
export type BudgetTotalLine = CurrencyTotal & { text: string }

/** A sheet's key facts, as listed in out/manifest.json and used by the catalogue, the CSV and donor bundles. */
export interface SheetFacts {
  title: string
  subtitle: string | null
  status: RecordFields['status']
  statusLabel: string
  programme: string | null
  implementer: string
  beneficiary: string | null
  countries: string[]
  /** The printed time frame, such as "February 2020 - October 2021". */
  period: string
  /** First month, YYYY-MM. */
  start: string
  /** Last month, YYYY-MM, or null while open. */
  end: string | null
  funds: string[]
  totals: BudgetTotalModel[]
  /** Every budget line in exact minor units ("18940321"), for bundles that show one fund's share. */
  lines: { fund: string | null; currency: string; minor: string }[]
  lang: string
}

/** A funder's mark as the footer partial prints it. */
export interface FooterMark {
  /** The image as a data: URL. */
  src: string
  /** "Funded by the European Union": printed beside the image, and its text alternative. */
  text: string
  /** "6mm", or "var(--footer-mark-height)" when theme.json sets none. */
  height: string
  /** "var(--color-eu-blue)": the words' colour. */
  color: string
}

/** What every template sees. Optional values are null, never missing, so strict templates can test them. */
export interface SheetModel {
  id: string
  /** BCP 47 language of the sheet. */
  lang: string
  /** Its writing direction: ltr, or rtl (Arabic): the page's dir attribute. */
  dir: 'ltr' | 'rtl'
  title: string
  subtitle: string | null
  status: { key: RecordFields['status']; label: string }
  programme: Programme | null
  implementer: string
  beneficiary: string | null
  /** "This MPF project was implemented by ICMPD on behalf of Jordan." */
  partners: string
  /** The countries entries as printed in the sheet's language ("Jordanie" for Jordan). */
  countries: string[]
  /** "EU countries, Jordan" */
  countriesText: string
  /** "February 2020 - October 2021" */
  period: string
  budget: { lines: BudgetLineModel[]; totals: BudgetTotalLine[]; showTotals: boolean }
  /** The locator map of the countries (`{{> map}}`), or null: hidden by the theme, or no entry is a drawable place. */
  map: MapModel | null
  /** The budget by fund, per currency (`{{> budget-chart}}`), or null: hidden by the theme, or a single budget line. */
  chart: ChartModel | null
  /** The body's text before its first heading, as sanitised HTML. */
  lead: string
  /** The body from its first heading on, as sanitised HTML. */
  sections: string
  /** Every word the theme prints, in the sheet's language (words/<lang>.json). */
  text: Words
  logo: { src: string; text: string } | null
  /** Funders' marks for the footer partial: the image's height and the words' colour as CSS values. */
  marks: FooterMark[]
  /** Comma-separated countries, funds and status, for the PDF's Keywords. */
  keywords: string
  /** The key facts of the sheet as plain data, kept in the manifest for catalogues and bundles. */
  facts: SheetFacts
  /** Problems that did not stop the sheet (removed images or links). */
  warnings: string[]
}

/** Builds the model of one sheet: labels, period, money lines and totals in exact minor units, the partners sentence. */
export function buildModel(record: SheetRecord, theme: Theme): SheetModel {
  const { fields } = record
  const lang = fields.lang ?? 'en'
  const language = sheetLanguage(theme, lang)
  const locale = formatLocale(lang, language)
  const text = language.text
  const programme = fields.programme ? programmeFor(theme, fields.programme, language) : null
  const body = renderMarkdown(record.body, { baseDir: path.dirname(record.path) })
  const statusLabel = { planned: text.statusPlanned, ongoing: text.statusOngoing, completed: text.statusCompleted }[fields.status]
  const partners = partnersSentence(fields, programme, text, language.dir)
  const budget = buildBudget(fields, locale, text.fundedFrom, language.dir)
  const money = fields.budget.map((line) => ({ fund: line.fund ?? null, currency: line.currency, minor: toMinorUnits(line.amount, currencyDigits(line.currency)) ?? 0n }))
  const places = placeNames(fields.countries, theme.tokens.groups, language, lang, record.translation?.countries, record.translation !== undefined)
  return {
    id: record.id,
    lang,
    dir: language.dir,
    title: fields.title,
    subtitle: fields.subtitle ?? null,
    status: { key: fields.status, label: statusLabel },
    programme,
    implementer: fields.implementer,
    beneficiary: fields.beneficiary ?? null,
    partners,
    countries: places.names,
    countriesText: formatList(places.names, locale),
    period: formatPeriod(fields, locale, text),
    budget: { lines: budget.lines, totals: budget.totals.map((total) => ({ ...total, text: fill(text.totalLine, { total: text.total, amount: isolate(total.amount, language.dir) }) })), showTotals: budget.showTotals },
    map: buildMap(fields.countries, places.names, theme.tokens, text, locale),
    chart: buildChart(money, theme.tokens, text, locale, undefined, language.dir),
    lead: body.lead,
    sections: body.sections,
    text,
    logo: theme.tokens.logo ? { src: theme.assets.get(theme.tokens.logo.image) ?? '', text: language.logo ?? theme.tokens.logo.text } : null,
    marks: footerMarks(theme, language),
    facts: {
      title: fields.title,
      subtitle: fields.subtitle ?? null,
      status: fields.status,
      statusLabel,
      programme: fields.programme ?? null,
      implementer: fields.implementer,
      beneficiary: fields.beneficiary ?? null,
      countries: fields.countries,
      period: formatPeriod(fields, locale, text),
      start: monthKey(fields.period.start) ?? '',
      end: fields.period.end === undefined ? null : (monthKey(fields.period.end) ?? null),
      funds: [...new Set(budget.lines.flatMap((line) => (line.fund ? [line.fund] : [])))],
      totals: budget.sums,
      lines: money.map((line) => ({ ...line, minor: line.minor.toString() })),
      lang,
    },
    keywords: [...places.names, ...budget.lines.flatMap((line) => (line.fund ? [line.fund] : [])), statusLabel].join(', '),
    warnings: [...body.warnings, ...places.warnings],
  }
}

/** "February 2020 - October 2021", "Since March 2023" or "From January 2027", worded by the theme. */
export function formatPeriod(fields: Pick<RecordFields, 'period' | 'status'>, lang: string, text: Pick<Words, 'periodRange' | 'periodOpen' | 'periodPlanned'>): string {
  const start = parseCalendarDate(fields.period.start)
  const end = fields.period.end === undefined ? undefined : parseCalendarDate(fields.period.end)
  if (!start) return ''
  const from = formatMonth(start, lang)
  if (end) return fill(text.periodRange, { start: from, end: formatMonth(end, lang) })
  return fill(fields.status === 'planned' ? text.periodPlanned : text.periodOpen, { start: from })
}

/**
 * Money lines and per-currency sums in minor units (cents, so that 0.1 + 0.2 is 0.30); `totals` are the sums worth
 * printing (currencies with two lines or more), `sums` all of them (the sheet's facts).
 */
export function buildBudget(
  fields: Pick<RecordFields, 'budget'>,
  lang: string,
  fundedFrom: string,
  dir: 'ltr' | 'rtl' = 'ltr',
): { lines: BudgetLineModel[]; totals: BudgetTotalModel[]; showTotals: boolean; sums: BudgetTotalModel[] } {
  const amounts = fields.budget.map((line) => ({ ...line, minor: toMinorUnits(line.amount, currencyDigits(line.currency)) ?? 0n }))
  const lines = amounts.map((line) => {
    const amount = formatMoney(line.minor, line.currency, lang)
    return { amount, currency: line.currency, fund: line.fund ?? null, text: line.fund ? fill(fundedFrom, { amount: isolate(amount, dir), fund: isolate(line.fund, dir) }) : amount }
  })
  const sums = sumByCurrency(amounts, lang)
  // A total says something only for a currency with two lines or more ("Total: EUR 5" under one EUR 5 line does not).
  const totals = sums.filter((sum) => lines.filter((line) => line.currency === sum.currency).length > 1)
  return { lines, totals, showTotals: totals.length > 0, sums }
}

/** Replaces {name} placeholders with values (plain text: record text is never a template). */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? values[key] : whole)).replace(/ {2,}/g, ' ')
}

/** The theme's funders' marks as the footer partial prints them (sheets and bundle covers), worded in the language. */
export function footerMarks(theme: Theme, language?: Pick<Language, 'marks'>): FooterMark[] {
  return theme.tokens.marks.map((mark, i) => ({
    src: theme.assets.get(mark.image) ?? '',
    text: language?.marks[i] ?? mark.text,
    height: mark.height ?? 'var(--footer-mark-height)',
    color: `var(--color-${mark.color ?? 'primary'})`,
  }))
}

// --- internal ---

function monthKey(value: unknown): string | undefined {
  const date = parseCalendarDate(value)
  return date && `${date.year}-${String(date.month).padStart(2, '0')}`
}

/** "This MPF project was implemented by ICMPD on behalf of Jordan.": names isolated (⁨…⁩) in a right-to-left language. */
function partnersSentence(fields: RecordFields, programme: Programme | null, text: Words, dir: 'ltr' | 'rtl'): string {
  const template = { planned: text.partnersPlanned, ongoing: text.partnersOngoing, completed: text.partnersCompleted }[fields.status]
  const onBehalf = fields.beneficiary ? fill(text.onBehalfOf, { beneficiary: isolate(fields.beneficiary, dir) }) : ''
  return `${fill(template, { programme: isolate(programme?.short ?? '', dir), implementer: isolate(fields.implementer, dir) })}${onBehalf}.`
}
