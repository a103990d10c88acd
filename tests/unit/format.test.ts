import { spawnSync } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatMoney, formatMonth, parseCalendarDate, toMinorUnits, type CalendarDate } from '../../src/core/format.ts'
import { parseRecordText } from '../../src/record/load.ts'
import { buildBudget } from '../../src/sheet/model.ts'
import { validateRecord } from '../../src/record/validate.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Intl separates the currency code from the number with a no-break space; most tests compare with a plain one. */
const plain = (text: string) => text.replace(/\u00a0/g, ' ')

const month = (value: unknown) => formatMonth(parseCalendarDate(value) as CalendarDate, 'en')

describe('formatMoney', () => {
  it('writes EUR with the code, thousands separators and two decimals', () => {
    expect(plain(formatMoney(100000n, 'EUR', 'en'))).toBe('EUR 1,000.00')
  })

  it('puts a no-break space between the currency code and the number, so the two never wrap apart', () => {
    expect(formatMoney(100000n, 'EUR', 'en')).toBe('EUR\u00a01,000.00')
  })

  it('writes JPY without decimals, because the yen has no minor unit', () => {
    expect(plain(formatMoney(1234n, 'JPY', 'en'))).toBe('JPY 1,234')
  })

  it('writes a three-decimal currency such as BHD with three decimals', () => {
    expect(plain(formatMoney(1234567n, 'BHD', 'en'))).toBe('BHD 1,234.567')
  })

  it('writes amounts below one unit with a leading zero', () => {
    expect(plain(formatMoney(5n, 'EUR', 'en'))).toBe('EUR 0.05')
    expect(plain(formatMoney(0n, 'EUR', 'en'))).toBe('EUR 0.00')
  })

  it('keeps every digit of amounts too large for a float to hold exactly', () => {
    expect(plain(formatMoney(1234567890123456n, 'EUR', 'en'))).toBe('EUR 12,345,678,901,234.56')
    expect(plain(formatMoney(123456789012345678901234567n, 'EUR', 'en'))).toBe('EUR 1,234,567,890,123,456,789,012,345.67')
  })
})

describe('toMinorUnits', () => {
  it('converts an amount to whole cents from its decimal writing', () => {
    expect(toMinorUnits(189403.21, 2)).toBe(18940321n)
    expect(toMinorUnits(1000, 2)).toBe(100000n)
    expect(toMinorUnits(0.5, 2)).toBe(50n)
    expect(toMinorUnits(1234, 0)).toBe(1234n)
  })

  it('converts 12345678901234.56 exactly, and formatMoney prints it back unchanged', () => {
    const minor = toMinorUnits(12345678901234.56, 2)
    expect(minor).toBe(1234567890123456n)
    expect(plain(formatMoney(minor as bigint, 'EUR', 'en'))).toBe('EUR 12,345,678,901,234.56')
  })

  it('totals lines of 0.1 and 0.2 to exactly EUR 0.30, not 0.30000000000000004', () => {
    const budget = buildBudget(
      {
        budget: [
          { amount: 0.1, currency: 'EUR' },
          { amount: 0.2, currency: 'EUR' },
        ],
      },
      'en',
      '{amount} (from {fund})',
    )
    expect(budget.totals.map((total) => plain(total.amount))).toEqual(['EUR 0.30'])
  })

  it('prints a total only for a currency with two lines or more, and keeps every sum for the facts', () => {
    const budget = buildBudget(
      {
        budget: [
          { amount: 100, currency: 'EUR', fund: 'AMIF' },
          { amount: 50, currency: 'EUR', fund: 'BMVI' },
          { amount: 75, currency: 'CHF', fund: 'SDC' },
        ],
      },
      'en',
      '{amount} (from {fund})',
    )
    expect(budget.totals.map((total) => plain(total.amount))).toEqual(['EUR 150.00'])
    expect(budget.showTotals).toBe(true)
    expect(budget.sums.map((total) => plain(total.amount)).sort()).toEqual(['CHF 75.00', 'EUR 150.00'])
    const single = buildBudget({ budget: [{ amount: 100, currency: 'EUR' }, { amount: 75, currency: 'CHF' }] }, 'en', '{amount}')
    expect(single.showTotals).toBe(false)
    expect(single.totals).toEqual([])
  })

  it('returns undefined for an amount with more decimals than the currency has', () => {
    expect(toMinorUnits(1.234, 2)).toBeUndefined()
    expect(toMinorUnits(1.005, 2)).toBeUndefined()
    expect(toMinorUnits(1234.5, 0)).toBeUndefined()
    expect(toMinorUnits(1e-7, 2)).toBeUndefined()
  })

  it('returns undefined for negative amounts', () => {
    expect(toMinorUnits(-1, 2)).toBeUndefined()
    expect(toMinorUnits(-0.01, 2)).toBeUndefined()
  })

  it('returns undefined for NaN and infinite amounts', () => {
    expect(toMinorUnits(Number.NaN, 2)).toBeUndefined()
    expect(toMinorUnits(Number.POSITIVE_INFINITY, 2)).toBeUndefined()
  })
})

describe('parseCalendarDate', () => {
  it('reads YYYY-MM as a year and a month without a day', () => {
    expect(parseCalendarDate('2020-02')).toEqual({ year: 2020, month: 2 })
  })

  it('reads YYYY-MM-DD as a year, a month and a day', () => {
    expect(parseCalendarDate('2021-10-31')).toEqual({ year: 2021, month: 10, day: 31 })
  })

  it('reads a Date in UTC, so a UTC midnight stays on its own day in every time zone', () => {
    expect(parseCalendarDate(new Date('2020-02-01'))).toEqual({ year: 2020, month: 2, day: 1 })
    expect(parseCalendarDate(new Date('2020-02-29T23:30:00-05:00'))).toEqual({ year: 2020, month: 3, day: 1 })
  })

  it('rejects month 13 instead of rolling it over into the next year', () => {
    expect(parseCalendarDate('2020-13')).toBeUndefined()
    expect(parseCalendarDate('2020-00')).toBeUndefined()
  })

  it('rejects 30 February instead of rolling it over into March', () => {
    expect(parseCalendarDate('2020-02-30')).toBeUndefined()
  })

  it('rejects 29 February in a year that is not a leap year', () => {
    expect(parseCalendarDate('2021-02-29')).toBeUndefined()
  })

  it('accepts 29 February in a leap year', () => {
    expect(parseCalendarDate('2020-02-29')).toEqual({ year: 2020, month: 2, day: 29 })
  })

  it('rejects other writings, numbers and invalid Dates', () => {
    for (const value of ['2020/02', '02-2020', '2020-2', '2020-02-1', 'February 2020', '', 202002, null, undefined, new Date('nonsense')]) {
      expect(parseCalendarDate(value), String(value)).toBeUndefined()
    }
  })
})

describe('formatMonth', () => {
  it("gives 'February 2020' for 2020-02", () => {
    expect(month('2020-02')).toBe('February 2020')
  })

  it("gives 'February 2020' for new Date('2020-02-01')", () => {
    expect(month(new Date('2020-02-01'))).toBe('February 2020')
  })

  for (const timeZone of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
    it(`gives 'February 2020' for 2020-02 and new Date('2020-02-01') in a process running with TZ=${timeZone}`, () => {
      const formatUrl = pathToFileURL(`${root}/src/core/format.ts`).href
      const script = `
        import(${JSON.stringify(formatUrl)}).then(({ formatMonth, parseCalendarDate }) => {
          console.log(JSON.stringify({
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
            fromText: formatMonth(parseCalendarDate('2020-02'), 'en'),
            fromDate: formatMonth(parseCalendarDate(new Date('2020-02-01')), 'en'),
          }))
        })`
      const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: root,
        env: { ...process.env, TZ: timeZone },
        encoding: 'utf8',
        timeout: 30_000,
      })
      expect(child.stderr).toBe('')
      expect(child.status).toBe(0)
      // The child really ran in that zone, so the test would catch a local-time reading.
      expect(JSON.parse(child.stdout)).toEqual({ timeZone, fromText: 'February 2020', fromDate: 'February 2020' })
    }, 30_000)
  }
})

describe('amounts of 1e21 and more (regression: they crashed validation with a SyntaxError)', () => {
  it('toMinorUnits does not throw for an amount of 1e21: it gives the exact cents or undefined', () => {
    // String(1e21) is "1e+21" and toFixed() keeps the exponent from 1e21 on, so BigInt("1e+2100") used to throw.
    let minor: bigint | undefined
    expect(() => {
      minor = toMinorUnits(1e21, 2)
    }).not.toThrow()
    if (minor !== undefined) expect(minor).toBe(10n ** 23n)
  })

  it('validateRecord reports `amount: 1e21` as an invalid budget[0].amount on its line, instead of crashing', () => {
    const text = [
      '---',
      'title: Huge',
      'status: ongoing',
      'implementer: ICMPD',
      'countries: [Jordan]',
      'period: { start: 2020-02 }',
      'budget:',
      '  - { amount: 1e21, currency: EUR }',
      '---',
      '',
    ].join('\n')
    let result: ReturnType<typeof validateRecord> | undefined
    expect(() => {
      result = validateRecord(parseRecordText(text, 'content/huge.md'))
    }).not.toThrow()
    expect(Array.isArray(result)).toBe(true)
    const errors = result as Exclude<typeof result, undefined | { id: string }>
    expect(errors.map((error) => [error.code, error.field, error.loc?.line])).toEqual([['InvalidField', 'budget[0].amount', 8]])
  })
})
