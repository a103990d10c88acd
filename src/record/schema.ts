/** The record contract: the YAML front matter of content/<id>.md, in zod. */
import { z } from 'zod'
import { ID_PATTERN, RESERVED_NAMES } from '../core/files.ts'
import { compareDates, currencyDigits, isCurrencyCode, isKnownLanguage, MAX_AMOUNT, parseCalendarDate, toMinorUnits } from '../core/format.ts'

/** Project statuses, in the order a project goes through them. */
export const STATUSES = ['planned', 'ongoing', 'completed'] as const


const text = (what: string, max: number) =>
  z
    .string({ error: `expected ${what} as text` })
    .trim()
    .min(1, { error: `expected ${what}, not an empty text` })
    .max(max, { error: `expected at most ${max} characters` })

const slug = (what: string) =>
  z
    .string({ error: `expected ${what} as text` })
    .max(100, { error: `expected ${what} of at most 100 characters` })
    .regex(ID_PATTERN, { error: `expected ${what}: lowercase letters, digits and hyphens` })
    .refine((value) => !RESERVED_NAMES.test(value), { error: `expected ${what} that is not a name Windows reserves (con, prn, aux, nul, com1, lpt1...)` })

const calendarDate = z
  .union([z.string(), z.date()], { error: 'expected a date written YYYY-MM or YYYY-MM-DD' })
  .refine((value) => parseCalendarDate(value) !== undefined, {
    error: 'expected a real date written YYYY-MM or YYYY-MM-DD (month 01-12, a day that exists in that month)',
  })

/** One line of the budget: an amount in a currency, from a fund. */
export const budgetLineSchema = z.strictObject(
  {
    /** The amount, at least 0, with no more decimals than its currency has (EUR: 2). */
    amount: z
      .number({ error: 'expected a number such as 189403.21, without currency or thousands separators' })
      .nonnegative({ error: 'expected an amount of 0 or more' })
      .max(MAX_AMOUNT, { error: 'expected an amount below 1,000,000,000,000,000' }),
    /** ISO 4217 code, such as EUR or USD. */
    currency: z
      .string({ error: 'expected a 3-letter ISO 4217 currency code such as EUR' })
      .regex(/^[A-Z]{3}$/, { error: 'expected a 3-letter ISO 4217 currency code such as EUR', abort: true })
      .refine(isCurrencyCode, { error: 'expected a 3-letter ISO 4217 currency code such as EUR' }),
    /** The fund the money comes from, such as AMIF. */
    fund: text('the name of a fund', 100).optional(),
  },
  { error: 'expected a budget line: { amount: 1000.00, currency: EUR, fund: AMIF }' },
)

/** The project's time frame. */
export const periodSchema = z.strictObject(
  {
    /** First month of the project: YYYY-MM or YYYY-MM-DD. */
    start: calendarDate,
    /** Last month; optional while planned or ongoing, never before start. */
    end: calendarDate.optional(),
  },
  { error: 'expected a mapping with start: and end: on the lines below' },
)

/** The front matter of one record. Field order here is the order of the documentation. */
export const recordSchema = z.strictObject(
  {
    /** The project's title, 1 to 200 characters. */
    title: text('a title', 200),
    /** A subtitle under the title. */
    subtitle: text('a subtitle', 300).optional(),
    /** planned, ongoing or completed. */
    status: z.enum(STATUSES, { error: `expected one of ${STATUSES.join(', ')}` }),
    /** Key of a programme blurb shipped with the theme (templates/<theme>/programmes/<key>.md). */
    programme: slug('a programme key').optional(),
    /** Who implements the project, such as ICMPD. */
    implementer: text('the implementing organisation', 200),
    /** On whose behalf the project is implemented. */
    beneficiary: text('a beneficiary', 200).optional(),
    /** The countries the project works in; at least one. */
    countries: z
      .array(text('a country name', 100), { error: 'expected a list of countries, such as [Jordan]' })
      .min(1, { error: 'expected at least one country' })
      .max(300),
    /** The time frame. */
    period: periodSchema,
    /** Budget lines; at least one. */
    budget: z
      .array(budgetLineSchema, { error: 'expected a list of budget lines, each with amount, currency and fund' })
      .min(1, { error: 'expected at least one budget line' })
      .max(100),
    /** Which template of the theme lays the sheet out; default factsheet. */
    template: slug('a template name').optional(),
    /** Which theme (templates/<theme>/); default from the project config. */
    theme: slug('a theme name').optional(),
    /** The sheet's language as a BCP 47 tag; default en. */
    lang: z
      .string({ error: 'expected a language tag such as en or fr' })
      .refine(isKnownLanguage, { error: 'expected a language tag such as en, fr or de' })
      .optional(),
    /** The sheet's id and output file name; default the file name without .md. */
    id: slug('an id').optional(),
  },
  { error: 'expected front matter fields such as title: and status: between two --- lines' },
)

/** A validated record's front matter. */
export type RecordFields = z.infer<typeof recordSchema>

/** The names of every top-level field, for "did you mean" hints. */
export const RECORD_FIELDS: readonly string[] = Object.keys(recordSchema.shape)

/** A rule that spans fields, found on the raw front matter so that it is reported alongside every other problem. */
export interface RuleIssue {
  path: (string | number)[]
  message: string
  input: unknown
}

/**
 * The rules zod's per-field checks cannot see: decimals per currency, a completed project's end, end after start.
 * Runs on the raw data, so these come in the same run as shape errors elsewhere in the record.
 */
export function checkRecordRules(data: unknown): RuleIssue[] {
  const issues: RuleIssue[] = []
  if (!isMapping(data)) return issues
  if (Array.isArray(data.budget)) {
    data.budget.forEach((line, index) => {
      if (!isMapping(line) || typeof line.amount !== 'number' || typeof line.currency !== 'string') return
      if (!isCurrencyCode(line.currency) || !(line.amount >= 0)) return
      const digits = currencyDigits(line.currency)
      if (toMinorUnits(line.amount, digits) === undefined) {
        issues.push({ path: ['budget', index, 'amount'], input: line.amount, message: `expected at most ${digits} decimals for ${line.currency}` })
      }
    })
  }
  const period = isMapping(data.period) ? data.period : undefined
  // With an unknown key under period (a misspelt "end"?), that key's own error says it all.
  const periodTypo = period !== undefined && Object.keys(period).some((key) => key !== 'start' && key !== 'end')
  if (data.status === 'completed' && period && period.end === undefined && !periodTypo) {
    issues.push({ path: ['period', 'end'], input: undefined, message: 'expected an end date: a completed project needs one' })
  }
  const start = period && parseCalendarDate(period.start)
  const end = period && parseCalendarDate(period.end)
  if (start && end && compareDates(end, start) < 0) {
    issues.push({ path: ['period', 'end'], input: period.end, message: `expected an end on or after the start (${String(period.start)})` })
  }
  return issues
}

// --- internal ---

function isMapping(value: unknown): value is { [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
