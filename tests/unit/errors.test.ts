import { describe, expect, it } from 'vitest'
import { closest, describeValue, ERROR_CATALOGUE, fileSystemError, SheetError } from '../../src/core/errors.ts'
import { CURRENCY_CODES } from '../../src/core/format.ts'
import { parseRecordText, type SourceRecord } from '../../src/record/load.ts'
import { errorHeader } from '../../src/core/error-view.ts'
import { RECORD_FIELDS, STATUSES } from '../../src/record/schema.ts'
import { fieldName, locate } from '../../src/core/located-yaml.ts'
import { validateRecord } from '../../src/record/validate.ts'

/** Joins lines into a record text; the comments in the tests give each line's number. */
const lines = (...text: string[]) => `${text.join('\n')}\n`

const parse = (text: string): SourceRecord => {
  const source = parseRecordText(text, 'content/x.md')
  expect(source.errors).toEqual([])
  return source
}

const at = (source: SourceRecord, fieldPath: (string | number)[], atKey = false) => locate(source.doc, source.lines, fieldPath, atKey)

/** Every problem validateRecord finds in a record text. */
const problems = (text: string) => {
  const result = validateRecord(parseRecordText(text, 'content/x.md'))
  if (!Array.isArray(result)) throw new Error('expected the record to be invalid')
  return result
}

const BLOCK = lines(
  '---', //                   1
  'title: X', //              2
  'status: ongoing', //       3
  'implementer: ICMPD', //    4
  'countries: [Jordan]', //   5
  'period:', //               6
  '  start: 2020-02', //      7
  'budget:', //               8
  '  - amount: 1', //         9
  '    currency: EUR', //     10
  '  - amount: 2', //         11
  '    currency: EURO', //    12
  '    fund: AMIF', //        13
  '---', //                   14
  'Body.',
)

const FLOW = lines(
  '---', //                                         1
  'title: X', //                                    2
  'status: ongoing', //                             3
  'implementer: ICMPD', //                          4
  'countries: [Jordan]', //                         5
  'period: { start: 2020-02 }', //                  6
  'budget:', //                                     7
  '  - { amount: 1, currency: EUR }', //            8
  '  - { amount: 1, currency: EURO }', //           9
  '---', //                                         10
)

describe('locate', () => {
  it('finds budget[1].currency in block style on the line of its value', () => {
    expect(at(parse(BLOCK), ['budget', 1, 'currency'])).toBe(12)
    expect(at(parse(BLOCK), ['budget', 0, 'currency'])).toBe(10)
    expect(at(parse(BLOCK), ['budget', 1, 'fund'])).toBe(13)
  })

  it('finds budget[1].currency in flow style `- { amount: 1, currency: EURO }` on that line', () => {
    expect(at(parse(FLOW), ['budget', 1, 'currency'])).toBe(9)
    expect(at(parse(FLOW), ['budget', 0, 'amount'])).toBe(8)
  })

  it('finds the value of a flow mapping that spans several lines on its own line', () => {
    const source = parse(lines('---', 'budget:', '  - { amount: 1,', '      currency: EURO }', '---'))
    expect(at(source, ['budget', 0, 'amount'])).toBe(3)
    expect(at(source, ['budget', 0, 'currency'])).toBe(4)
  })

  it('gives the same lines in the errors validateRecord reports', () => {
    expect(problems(BLOCK).map(errorHeader)).toEqual([
      'content/x.md:12 budget[1].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")',
    ])
    expect(problems(FLOW).map(errorHeader)).toEqual(['content/x.md:9 budget[1].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")'])
  })

  it('finds the key itself with atKey, where the value starts on a later line', () => {
    const source = parse(BLOCK)
    expect(at(source, ['period'])).toBe(7)
    expect(at(source, ['period'], true)).toBe(6)
    expect(at(source, ['budget'], true)).toBe(8)
  })

  it('places an unknown key on its own line, at the top level and nested', () => {
    const text = lines(
      '---', //                                       1
      'title: X', //                                  2
      'budjet: 3', //                                 3
      'status: ongoing', //                           4
      'implementer: ICMPD', //                        5
      'countries: [Jordan]', //                       6
      'period:', //                                   7
      '  start: 2020-02', //                          8
      '  ende: 2021-01', //                           9
      'budget:', //                                   10
      '  - { amount: 1, currency: EUR, fundd: A }', // 11
      '---', //                                       12
    )
    const source = parse(text)
    expect(at(source, ['budjet'], true)).toBe(3)
    expect(at(source, ['period', 'ende'], true)).toBe(9)
    expect(at(source, ['budget', 0, 'fundd'], true)).toBe(11)
    const errors = problems(text)
    expect(errors.map((e) => [e.code, e.field, e.loc?.line])).toEqual([
      ['UnknownField', 'budjet', 3],
      ['UnknownField', 'period.ende', 9],
      ['UnknownField', 'budget[0].fundd', 11],
    ])
  })

  it('places a missing field on the line of its nearest parent', () => {
    const text = lines(
      '---', //                       1
      'title: X', //                  2
      'status: ongoing', //           3
      'implementer: ICMPD', //        4
      'countries: [Jordan]', //       5
      'period: { end: 2021-01 }', //  6
      'budget:', //                   7
      '  - amount: 1', //             8
      '    currency: EUR', //         9
      '  - fund: AMIF', //            10
      '---', //                       11
    )
    const source = parse(text)
    expect(at(source, ['budget', 1, 'amount'])).toBe(10)
    expect(at(source, ['period', 'start'])).toBe(6)
    const errors = problems(text)
    expect(errors.map((e) => [e.field, e.loc?.line])).toEqual([
      ['period.start', 6],
      ['budget[1].amount', 10],
      ['budget[1].currency', 10],
    ])
    expect(errors.find((e) => e.field === 'budget[1].amount')?.code).toBe('MissingField')
  })

  it('places a missing top-level field on line 1 or the first line of the front matter', () => {
    const text = lines(
      '---',
      'status: ongoing',
      'implementer: ICMPD',
      'countries: [Jordan]',
      'period: { start: 2020-02 }',
      'budget: [{ amount: 1, currency: EUR }]',
      '---',
    )
    expect([1, 2]).toContain(at(parse(text), ['title']))
    const [error] = problems(text)
    expect(error.code).toBe('MissingField')
    expect(error.field).toBe('title')
    expect([1, 2]).toContain(error.loc?.line)
  })

  it('places every missing field on line 1 when the front matter is empty', () => {
    const errors = problems(lines('---', '---', 'Body only.'))
    expect(errors.map((e) => e.field)).toEqual(['title', 'status', 'implementer', 'countries', 'period', 'budget'])
    for (const error of errors) expect(error.loc).toEqual({ file: 'content/x.md', line: 1 })
  })

  it('gives line 1 when there is no YAML document at all', () => {
    expect(locate(undefined, parseRecordText('x', 'content/x.md').lines, ['title'])).toBe(1)
  })
})

describe('fieldName', () => {
  it('writes paths as budget[1].currency', () => {
    expect(fieldName(['budget', 1, 'currency'])).toBe('budget[1].currency')
    expect(fieldName(['period', 'end'])).toBe('period.end')
    expect(fieldName(['title'])).toBe('title')
    expect(fieldName([])).toBe('')
  })
})

describe('closest', () => {
  it('suggests budget for budjet among the record fields', () => {
    expect(closest('budjet', RECORD_FIELDS)).toBe('budget')
  })

  it('suggests EUR for EURO among the currency codes', () => {
    expect(closest('EURO', CURRENCY_CODES)).toBe('EUR')
  })

  it('compares without regard to case', () => {
    expect(closest('Title', RECORD_FIELDS)).toBe('title')
    expect(closest('COMPLETE', STATUSES)).toBe('completed')
  })

  it('suggests nothing when no candidate is close', () => {
    expect(closest('xyzzy', RECORD_FIELDS)).toBeUndefined()
    expect(closest('budget', [])).toBeUndefined()
  })

  it('reaches the user as "did you mean" hints in validation errors', () => {
    const text = lines(
      '---',
      'title: X',
      'status: complete',
      'budjet: 3',
      'implementer: ICMPD',
      'countries: [Jordan]',
      'period: { start: 2020-02, end: 2021-01 }',
      'budget:',
      '  - { amount: 1, currency: EURO }',
      '  - { amount: 1, currency: eur }',
      '---',
    )
    const hints = Object.fromEntries(problems(text).map((e) => [e.field, e.hint]))
    expect(hints).toEqual({
      budjet: 'did you mean "budget"?',
      status: 'did you mean "completed"?',
      'budget[0].currency': 'did you mean "EUR"?',
      'budget[1].currency': 'did you mean "EUR"?',
    })
  })
})

describe('SheetError and describeValue', () => {
  it('keeps code, place, field, hint and cause', () => {
    const cause = new Error('inner')
    const error = new SheetError({ code: 'InvalidField', message: 'm', loc: { file: 'a.md', line: 3 }, field: 'title', hint: 'h', cause })
    expect(error).toBeInstanceOf(Error)
    expect([error.name, error.code, error.message, error.loc, error.field, error.hint, error.cause]).toEqual([
      'SheetError',
      'InvalidField',
      'm',
      { file: 'a.md', line: 3 },
      'title',
      'h',
      cause,
    ])
  })

  it('describes found values shortly for "(got ...)"', () => {
    expect(describeValue(undefined)).toBe('nothing')
    expect(describeValue(null)).toBe('null')
    expect(describeValue('EURO')).toBe('"EURO"')
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(57)}..."`)
    expect(describeValue([])).toBe('an empty list')
    expect(describeValue([1, 2])).toBe('a list of 2')
    expect(describeValue({ a: 1 })).toBe('a mapping')
    expect(describeValue(new Date('2020-02-01'))).toBe('date 2020-02-01')
    expect(describeValue(1.5)).toBe('1.5')
  })
})

describe('#9 the error catalogue', () => {
  it('gives every code a title and an exit code: 2 for what stops a command, 1 for what fails a record', () => {
    for (const [code, kind] of Object.entries(ERROR_CATALOGUE)) {
      expect(kind.title, code).toMatch(/^[A-Z].{8,}[^.]$/)
      expect([1, 2], code).toContain(kind.exit)
    }
    const stops = Object.entries(ERROR_CATALOGUE).filter(([, kind]) => kind.exit === 2).map(([code]) => code)
    expect(stops.sort()).toEqual(['BrowserNotFound', 'ConfigInvalid', 'FileSystemError', 'OutputLocked', 'ShardMismatch', 'TemplateError', 'ThemeInvalid', 'ThemeNotFound', 'UsageError'])
  })

  it('takes the catalogue hint unless the site gives its own, and re-locates or re-hints with one method', () => {
    const error = new SheetError({ code: 'RenderTimeout', message: 'slow' })
    expect(error.hint).toBe(ERROR_CATALOGUE.RenderTimeout.hint)
    expect(new SheetError({ code: 'RenderTimeout', message: 'slow', hint: 'wait' }).hint).toBe('wait')
    const moved = error.with({ loc: { file: 'content/x.md', line: 3 }, field: 'title' })
    expect(moved).toMatchObject({ code: 'RenderTimeout', message: 'slow', loc: { file: 'content/x.md', line: 3 }, field: 'title', hint: error.hint })
    expect(moved.cause).toBe(error)
    expect(moved.exitCode).toBe(1)
    expect(error.with({ code: 'ThemeInvalid' }).exitCode).toBe(2)
  })

  it('turns filesystem failures into FileSystemError naming the path, and leaves anything else alone', () => {
    const enotdir = Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' })
    expect(fileSystemError(enotdir, 'the content folder', 'package.json')).toMatchObject({
      code: 'FileSystemError',
      message: 'the content folder package.json is not a folder',
      loc: { file: 'package.json' },
    })
    const bug = new TypeError('x is undefined')
    expect(fileSystemError(bug, 'the content folder', 'content')).toBe(bug)
  })
})
