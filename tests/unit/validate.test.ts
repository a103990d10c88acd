import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadRecord, parseRecordText } from '../../src/record/load.ts'
import { errorHeader } from '../../src/core/error-view.ts'
import { validateAll, validateRecord } from '../../src/record/validate.ts'
import type { SheetError } from '../../src/core/errors.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const invalidDir = path.join(root, 'tests/fixtures/records/invalid')
const contentDir = path.join(root, 'content')
const expected = JSON.parse(readFileSync(path.join(invalidDir, 'expected.json'), 'utf8')) as Record<string, string[]>
const invalidFiles = readdirSync(invalidDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
const contentFiles = readdirSync(contentDir)
  .filter((name) => name.endsWith('.md') && !name.startsWith('.'))
  .sort()

const VALID = `---
title: Capacity Building for Migration Management
status: completed
implementer: ICMPD
countries: [EU countries, Jordan]
period:
  start: 2020-02
  end: 2021-10
budget:
  - { amount: 189403.21, currency: EUR, fund: AMIF }
---

Lead paragraph.
`

describe('invalid record fixtures', () => {
  it('has an expected.json entry for every fixture and a fixture for every entry', () => {
    expect(invalidFiles.length).toBeGreaterThanOrEqual(22)
    expect(Object.keys(expected).sort()).toEqual(invalidFiles)
  })

  for (const name of invalidFiles) {
    it(`${name} is refused`, async () => {
      const source = await loadRecord(path.join(invalidDir, name), root)
      const result = validateRecord(source)
      expect(Array.isArray(result), `${name} passed validation`).toBe(true)
      const errors = result as Exclude<typeof result, { id: string }>
      expect(errors.map(errorHeader)).toEqual(expected[name])
      for (const error of errors) {
        expect(error.loc?.file).toBe(path.posix.join('tests/fixtures/records/invalid', name))
        expect(error.loc?.line).toBeGreaterThanOrEqual(1)
        expect(Boolean(error.field || error.code)).toBe(true)
      }
    })
  }
})

describe('content records', () => {
  it('has records to check', () => {
    expect(contentFiles.length).toBeGreaterThan(0)
  })

  it('every record and translation of content/ validates', async () => {
    const result = validateAll(await Promise.all(contentFiles.map((name) => loadRecord(path.join(contentDir, name), root))))
    expect(result.failures.flatMap((failure) => failure.errors.map(errorHeader))).toEqual([])
    expect(result.records.map((record) => `${record.id}.md`).sort()).toEqual([...contentFiles].sort())
  })
})

describe('validateRecord', () => {
  it('reports a wrong currency and a missing title in one run', () => {
    const text = VALID.replace('title: Capacity Building for Migration Management\n', '').replace('currency: EUR', 'currency: EURO')
    const result = validateRecord(parseRecordText(text, 'content/two-errors.md'))
    expect(Array.isArray(result)).toBe(true)
    const errors = result as Exclude<typeof result, { id: string }>
    expect(errors.map((error) => [error.code, error.field])).toEqual(
      expect.arrayContaining([
        ['MissingField', 'title'],
        ['InvalidField', 'budget[0].currency'],
      ]),
    )
    expect(errors).toHaveLength(2)
    expect(errors.find((error) => error.field === 'budget[0].currency')?.loc?.line).toBe(9)
  })

  it('accepts the valid base record used here', () => {
    expect(Array.isArray(validateRecord(parseRecordText(VALID, 'content/base.md')))).toBe(false)
  })
})

describe('validateAll', () => {
  it('refuses an id used by two files, naming the first file', () => {
    const first = parseRecordText(VALID.replace('status:', 'id: jempas-ii\nstatus:'), 'content/a-first.md', path.join(root, 'content/a-first.md'))
    const second = parseRecordText(VALID.replace('status:', 'id: jempas-ii\nstatus:'), 'content/b-second.md', path.join(root, 'content/b-second.md'))
    const { records, failures } = validateAll([first, second])
    expect(records.map((record) => record.file)).toEqual(['content/a-first.md'])
    expect(failures).toHaveLength(1)
    expect(failures[0].file).toBe('content/b-second.md')
    const [error] = failures[0].errors
    expect(error.code).toBe('DuplicateId')
    expect(error.field).toBe('id')
    expect(error.loc?.file).toBe('content/b-second.md')
    expect(error.loc?.line).toBe(3)
    expect(error.message).toContain('content/a-first.md')
    expect(error.message).toContain('"jempas-ii"')
  })

  it("refuses an id given by a file name and by another file's id:, naming the first file", () => {
    const first = parseRecordText(VALID, 'content/jempas-ii.md', path.join(root, 'content/jempas-ii.md'))
    const second = parseRecordText(VALID.replace('status:', 'id: jempas-ii\nstatus:'), 'content/other.md', path.join(root, 'content/other.md'))
    const { records, failures } = validateAll([first, second])
    expect(records).toHaveLength(1)
    expect(failures).toHaveLength(1)
    expect(failures[0].errors[0].code).toBe('DuplicateId')
    expect(errorHeader(failures[0].errors[0])).toBe('content/other.md:3 id: the id "jempas-ii" is already used by content/jempas-ii.md')
  })
})

describe('#13 a record read as its author meant it', () => {
  const errorsOf = (text: string) => validateRecord(parseRecordText(text, 'content/x.md')) as SheetError[]
  const view = (errors: SheetError[]) => errors.map((error) => [errorHeader(error), error.hint])

  it('checks a misspelt field as the missing field it stands for: one error at its line, its content checked, no "is required"', () => {
    const text = VALID.replace('budget:\n  - { amount: 189403.21, currency: EUR, fund: AMIF }', 'budjet:\n  - amount: 189403.21\n    currency: EURO')
    expect(view(errorsOf(text))).toEqual([
      ['content/x.md:9 budjet: is not a field of a record: checked as "budget", the missing field closest to it', 'rename budjet: to budget:'],
      ['content/x.md:11 budget[0].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")', 'did you mean "EUR"?'],
    ])
  })

  it('reads a misspelt nested key as meant too, and keeps "did you mean" when the field it is close to is there', () => {
    expect(view(errorsOf(VALID.replace('  start: 2020-02', '  strat: 2020-13')))).toEqual([
      ['content/x.md:7 period.strat: is not a field of period: checked as "start", the missing field closest to it', 'rename strat: to start:'],
      [
        'content/x.md:7 period.start: expected a real date written YYYY-MM or YYYY-MM-DD (month 01-12, a day that exists in that month) (got "2020-13")',
        undefined,
      ],
    ])
    const both = errorsOf(VALID.replace('status: completed', 'status: completed\ntitel: Other'))
    expect(view(both)).toEqual([[expect.stringMatching(/^content\/x\.md:4 titel: is not a field of a record \(expected one of title, /), 'did you mean "title"?']])
  })

  it('recognises thousands separators in a { } budget line, where YAML splits the amount into fields', () => {
    const text = VALID.replace('amount: 189403.21', 'amount: 1,250,000.50')
    expect(view(errorsOf(text))).toEqual([
      ['content/x.md:10 budget[0].amount: has thousands separators, which YAML reads as separate fields (got 1,250,000.50)', 'write 1250000.50, without thousands separators'],
    ])
    // Under a misspelt list key too: both slips in one run, each once.
    expect(view(errorsOf(text.replace('budget:', 'budjet:')))).toEqual([
      ['content/x.md:9 budjet: is not a field of a record: checked as "budget", the missing field closest to it', 'rename budjet: to budget:'],
      ['content/x.md:10 budget[0].amount: has thousands separators, which YAML reads as separate fields (got 1,250,000.50)', 'write 1250000.50, without thousands separators'],
    ])
  })

  it('hints the status meant by the words people use', () => {
    const hint = (status: string) => errorsOf(VALID.replace('status: completed', `status: ${status}`))[0]?.hint
    for (const word of ['finished', 'Closed', 'done']) expect(hint(word), word).toBe('write completed: the statuses are planned, ongoing, completed')
    for (const word of ['active', 'running', 'in progress', 'In-progress']) expect(hint(word), word).toBe('write ongoing: the statuses are planned, ongoing, completed')
    for (const word of ['proposed', 'pipeline']) expect(hint(word), word).toBe('write planned: the statuses are planned, ongoing, completed')
    expect(hint('Completed')).toBe('did you mean "completed"?')
    expect(hint('suspended')).toBeUndefined()
  })
})
