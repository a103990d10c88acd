/** Pure Intl-based formatting helpers: money in minor units, calendar months, periods and lists. */

/** A calendar date from a record: a year and month, and optionally a day. */
export interface CalendarDate {
  year: number
  month: number
  day?: number
}

/** The record's contract for dates: YYYY-MM or YYYY-MM-DD. */
export const DATE_PATTERN = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/

/**
 * Reads YYYY-MM, YYYY-MM-DD or a Date (read in UTC, so no time zone can move it) into a calendar date.
 * Returns undefined for anything that is not a real date: 2020-13 and 2020-02-30 are never rolled over.
 */
export function parseCalendarDate(value: unknown): CalendarDate | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() }
  }
  if (typeof value !== 'string') return undefined
  const match = DATE_PATTERN.exec(value.trim())
  if (!match) return undefined
  const year = Number(match[1])
  const month = Number(match[2])
  const day = match[3] === undefined ? undefined : Number(match[3])
  if (month < 1 || month > 12) return undefined
  if (day !== undefined && (day < 1 || day > daysInMonth(year, month))) return undefined
  return day === undefined ? { year, month } : { year, month, day }
}

/** Compares two calendar dates by month and day (a missing day counts as the first). */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || (a.day ?? 1) - (b.day ?? 1)
}

/** "February 2020" in the given language, the same in every time zone. */
export function formatMonth(date: CalendarDate, lang: string): string {
  return printable(monthFormat(lang).format(Date.UTC(date.year, date.month - 1, 1, 12)))
}

/** The number of decimals a currency is written with (EUR 2, JPY 0), from Intl. */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency)
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    DIGITS.set(currency, digits)
  }
  return digits
}

/** True when Intl knows the code as an ISO 4217 currency. */
export function isCurrencyCode(code: string): boolean {
  return CURRENCIES.has(code)
}

/** Every ISO 4217 code Intl knows, for validation and "did you mean" hints. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency')

/**
 * Converts an amount to whole minor units (cents) exactly, from its decimal writing.
 * Returns undefined when it has more decimals than the currency allows.
 */
export function toMinorUnits(amount: number, digits: number): bigint | undefined {
  if (!Number.isFinite(amount) || amount < 0 || amount > MAX_AMOUNT) return undefined
  const [whole, fraction = ''] = plainDecimal(amount).split('.')
  if (fraction.length > digits) return undefined
  return BigInt(whole + fraction.padEnd(digits, '0'))
}

/** The largest amount a budget line may have: a thousand trillion, far above any project, below float trouble. */
export const MAX_AMOUNT = 1e15

/** "39571190" minor units of EUR → "395711.90": the exact plain decimal, in the currency's decimals. */
export function minorToDecimal(minor: bigint | string, currency: string): string {
  const digits = currencyDigits(currency)
  const text = minor.toString().padStart(digits + 1, '0')
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`
}

/** "EUR 1,000.00": an amount in minor units in its currency's decimals, formatted by Intl without floats. */
export function formatMoney(minor: bigint, currency: string, lang: string): string {
  // Intl formats a decimal string exactly (no binary float in between).
  return printable(moneyFormat(lang, currency).format(minorToDecimal(minor, currency) as unknown as number))
}

/**
 * Intl's output as fonts can print it: the narrow no-break space (U+202F) French puts between thousands is missing from
 * most fonts (a system font would print it), so it becomes a no-break space (U+00A0), which every font has.
 */
export function printable(text: string): string {
  return text.replace(/\u202f/g, '\u00a0')
}

/** One currency's total: exact minor units as a decimal string, and the amount as printed. */
export interface CurrencyTotal {
  currency: string
  /** The exact total in minor units (cents), as a decimal string. */
  minor: string
  /** "EUR 395,711.90" */
  amount: string
}

/** Sums amounts in minor units per currency (never adding one currency to another), in the order currencies first appear. */
export function sumByCurrency(lines: Iterable<{ currency: string; minor: bigint }>, lang: string): CurrencyTotal[] {
  const sums = new Map<string, bigint>()
  for (const line of lines) sums.set(line.currency, (sums.get(line.currency) ?? 0n) + line.minor)
  return [...sums].map(([currency, minor]) => ({ currency, minor: minor.toString(), amount: formatMoney(minor, currency, lang) }))
}

/**
 * Text folded for matching what people type: lower case, without accents, curly apostrophes as straight ones, no outer
 * spaces ("Cote d'Ivoire" finds "Côte d’Ivoire"). The catalogue page's script folds its query the same way.
 */
export function fold(text: string): string {
  const bare = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  return bare.replace(/[\u2018\u2019]/g, "'").trim().toLowerCase()
}

/** "EU countries, Jordan and Egypt"-style lists in the record's language. */
export function formatList(items: readonly string[], lang: string, type: 'conjunction' | 'unit' = 'unit'): string {
  const key = `${lang}|${type}`
  let format = listFormats.get(key)
  if (!format) listFormats.set(key, (format = new Intl.ListFormat(lang, { style: 'long', type })))
  return printable(format.format(items))
}

/** List formats by language and type: making one costs more than the list it writes. */
const listFormats = new Map<string, Intl.ListFormat>()

/**
 * A name or amount set apart from the text around it in a right-to-left language (U+2068 … U+2069, what <bdi> does), so
 * that Latin words and numbers keep their order inside Arabic; unchanged left to right, and nothing for an empty value.
 */
export function isolate(value: string, dir: 'ltr' | 'rtl'): string {
  return dir === 'rtl' && value ? `\u2068${value}\u2069` : value
}

/** "French" for fr, "Arabic" for ar: a language named in English (the tag itself when Intl cannot name it). */
export function languageName(tag: string): string {
  try {
    return (languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' })).of(tag) ?? tag
  } catch {
    return tag
  }
}
let languageNames: Intl.DisplayNames | undefined

/** A language Intl can name and format dates in ("qq" is well-formed but no language). */
export function isKnownLanguage(tag: string): boolean {
  if (!/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/.test(tag)) return false
  try {
    return (knownNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })).of(tag) !== undefined && Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0
  } catch {
    return false
  }
}
let knownNames: Intl.DisplayNames | undefined

/** The direction a language is written in, from Intl: rtl for Arabic, Hebrew, Persian…; ltr otherwise. */
export function textDirection(tag: string): 'ltr' | 'rtl' {
  try {
    return (new Intl.Locale(tag) as Intl.Locale & { textInfo?: { direction?: string } }).textInfo?.direction === 'rtl' ? 'rtl' : 'ltr'
  } catch {
    return 'ltr'
  }
}

// --- internal ---

const CURRENCIES = new Set(CURRENCY_CODES)
const DIGITS = new Map<string, number>()

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function plainDecimal(value: number): string {
  const text = String(value)
  if (!/e/i.test(text)) return text
  // Very large or tiny numbers: fall back to a fixed writing with enough digits.
  return value.toFixed(20).replace(/\.?0+$/, '')
}

const monthFormats = new Map<string, Intl.DateTimeFormat>()
function monthFormat(lang: string): Intl.DateTimeFormat {
  let format = monthFormats.get(lang)
  if (!format) {
    format = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' })
    monthFormats.set(lang, format)
  }
  return format
}

const moneyFormats = new Map<string, Intl.NumberFormat>()
function moneyFormat(lang: string, currency: string): Intl.NumberFormat {
  const key = `${lang}|${currency}`
  let format = moneyFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(lang, { style: 'currency', currency, currencyDisplay: 'code' })
    moneyFormats.set(key, format)
  }
  return format
}
