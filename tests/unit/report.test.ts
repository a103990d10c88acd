import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SheetError } from '../../src/core/errors.ts'
import { parseRecordText } from '../../src/record/load.ts'
import { errorHeader } from '../../src/core/error-view.ts'
import { formatError, summaryLine } from '../../src/cli/report.ts'
import { validateRecord } from '../../src/record/validate.ts'

/** C0 and C1 control characters other than tab and newline: what a terminal may read as an escape sequence. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

const RECORD = [
  '---', //                                   1
  'title: Capacity Building', //              2
  'status: ongoing', //                       3
  'implementer: ICMPD', //                    4
  'countries: [Jordan]', //                   5
  'period: { start: 2020-02 }', //            6
  'budget:', //                               7
  '  - { amount: 1, currency: EUR }', //      8
  '  - { amount: 2, currency: EURO }', //     9
  '---', //                                   10
  '',
  'Body.',
  '',
].join('\n')

let cwd: string

/** Writes a record under the temporary working directory and returns its errors, as the pipeline would. */
function recordErrors(name: string, text: string): SheetError[] {
  const file = `content/${name}.md`
  fs.writeFileSync(path.join(cwd, file), text)
  const result = validateRecord(parseRecordText(text, file, path.join(cwd, file)))
  if (!Array.isArray(result)) throw new Error('expected the record to be invalid')
  return result
}

beforeAll(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'factsheets-report-'))
  fs.mkdirSync(path.join(cwd, 'content'))
})

afterAll(() => {
  fs.rmSync(cwd, { recursive: true, force: true })
})

describe('errorHeader', () => {
  it('writes `file:line field: message`', () => {
    const error = new SheetError({
      code: 'InvalidField',
      message: 'expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")',
      loc: { file: 'content/x.md', line: 9 },
      field: 'budget[1].currency',
    })
    expect(errorHeader(error)).toBe('content/x.md:9 budget[1].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")')
  })

  it('leaves out the line when it is not known', () => {
    const error = new SheetError({ code: 'RecordTooLarge', message: 'record is 3.0 MB', loc: { file: 'content/x.md' } })
    expect(errorHeader(error)).toBe('content/x.md: record is 3.0 MB')
  })

  it('leaves out the place when there is none, and the field when there is none', () => {
    expect(errorHeader(new SheetError({ code: 'UsageError', message: 'unknown option --fast' }))).toBe('unknown option --fast')
    expect(errorHeader(new SheetError({ code: 'UsageError', message: 'expected a number', field: 'concurrency' }))).toBe('concurrency: expected a number')
  })

  it('gives the header of a real validation error with the record file, line and field', () => {
    const [error] = recordErrors('header', RECORD)
    expect(errorHeader(error)).toBe('content/header.md:9 budget[1].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")')
  })
})

describe('formatError without colour', () => {
  it('prints the header, a code frame with > on the error line, and the hint with the code', () => {
    const [error] = recordErrors('frame', RECORD)
    const text = formatError(error, { cwd, color: false })
    expect(text).toBe(
      [
        'content/frame.md:9 budget[1].currency: expected a 3-letter ISO 4217 currency code such as EUR (got "EURO")',
        '     7 | budget:',
        '     8 |   - { amount: 1, currency: EUR }',
        '  >  9 |   - { amount: 2, currency: EURO }',
        '    10 | ---',
        '    hint: did you mean "EUR"?   [InvalidField]',
      ].join('\n'),
    )
  })

  it('contains no escape sequences', () => {
    const [error] = recordErrors('plain', RECORD)
    expect(formatError(error, { cwd, color: false })).not.toMatch(CONTROL)
  })

  it('prints only the [Code] line when there is no hint', () => {
    const error = new SheetError({
      code: 'InvalidField',
      message: 'the id "x" is already used by content/y.md',
      loc: { file: 'content/frame.md', line: 2 },
      field: 'id',
    })
    const lines = formatError(error, { cwd, color: false }).split('\n')
    expect(lines.at(-1)).toBe('    [InvalidField]')
    expect(lines.filter((line) => line.startsWith('  >'))).toEqual(['  > 2 | title: Capacity Building'])
  })

  it('prints no code frame when the file cannot be read or the line is outside it', () => {
    const missing = new SheetError({ code: 'InvalidField', message: 'm', loc: { file: 'content/nowhere.md', line: 3 }, hint: 'h' })
    expect(formatError(missing, { cwd, color: false })).toBe('content/nowhere.md:3 m\n    hint: h   [InvalidField]')
    recordErrors('short', RECORD)
    const pastEnd = new SheetError({ code: 'InvalidField', message: 'm', loc: { file: 'content/short.md', line: 999 } })
    expect(formatError(pastEnd, { cwd, color: false })).toBe('content/short.md:999 m\n    [InvalidField]')
  })

  it('shortens very long lines in the code frame', () => {
    const long = RECORD.replace('title: Capacity Building', `title: ${'x'.repeat(300)}`)
    fs.writeFileSync(path.join(cwd, 'content/long.md'), long)
    const error = new SheetError({ code: 'InvalidField', message: 'too long', loc: { file: 'content/long.md', line: 2 }, field: 'title' })
    const marked = formatError(error, { cwd, color: false })
      .split('\n')
      .find((line) => line.startsWith('  >'))
    expect(marked).toBe(`  > 2 | title: ${'x'.repeat(110)}...`)
  })
})

describe('control characters from records', () => {
  it('does not print ANSI escapes or other control characters of a record line raw in the code frame', () => {
    const text = RECORD.replace('status: ongoing', 'status: ongoing\u001b[2J\u001b]0;pwned\u0007\u009b31m')
    const error = recordErrors('escape', text).find((e) => e.field === 'status')
    if (!error) throw new Error('expected an error for status')
    const frame = formatError(error, { cwd, color: false }).split('\n').slice(1, -1)
    expect(frame).toHaveLength(4)
    for (const line of frame) expect(line).not.toMatch(CONTROL)
    // The line is still shown, with every control character made visible as U+FFFD.
    expect(frame[2]).toBe('  > 3 | status: ongoing\ufffd[2J\ufffd]0;pwned\ufffd\ufffd31m')
  })

  it('#13 shows a tab in a record line as →, since a literal tab is invisible in the frame', () => {
    fs.writeFileSync(path.join(cwd, 'content/tab.md'), '---\ntitle:\tX\n---\n')
    const error = new SheetError({ code: 'InvalidField', message: 'm', loc: { file: 'content/tab.md', line: 2 } })
    expect(formatError(error, { cwd, color: false })).toContain('  > 2 | title:→X')
  })
})

describe('summaryLine', () => {
  it('reports built sheets with the time and the time per sheet', () => {
    expect(summaryLine({ built: 3, skipped: 0, failed: [], kept: [], seconds: 1.5 })).toBe('Built 3 sheets, in 1.50 s (0.50 s each).')
  })

  it('says "sheet" for one sheet', () => {
    expect(summaryLine({ built: 1, skipped: 0, failed: [], kept: [], seconds: 0.42 })).toBe('Built 1 sheet, in 0.42 s (0.42 s each).')
  })

  it('reports failed records and names them', () => {
    expect(summaryLine({ built: 3, skipped: 0, failed: ['content/x.md'], kept: [], seconds: 1.42 })).toBe(
      'Built 3 sheets, 1 failed, in 1.42 s (0.47 s each). Failed: content/x.md.',
    )
  })

  it('reports sheets that were up to date, and no time per sheet when none was built', () => {
    expect(summaryLine({ built: 0, skipped: 2, failed: [], kept: [], seconds: 0.1 })).toBe('Built 0 sheets, 2 up to date, in 0.10 s.')
    expect(summaryLine({ built: 1, skipped: 2, failed: [], kept: [], seconds: 0.5 })).toBe('Built 1 sheet, 2 up to date, in 0.50 s (0.50 s each).')
  })

  it('reports stale sheets kept from the last build', () => {
    expect(summaryLine({ built: 1, skipped: 0, failed: ['content/a.md', 'content/b.md'], kept: ['a', 'b'], seconds: 2 })).toBe(
      'Built 1 sheet, 2 failed, in 2.00 s (2.00 s each). Failed: content/a.md, content/b.md. Kept from the last build (stale): a, b.',
    )
  })

  it('says "Stopped" when the build was interrupted', () => {
    expect(summaryLine({ built: 2, skipped: 1, failed: [], kept: [], seconds: 1, interrupted: true })).toBe(
      'Stopped: built 2 sheets, 1 up to date, in 1.00 s (0.50 s each).',
    )
  })

  it('reports check mode as records checked, valid and with errors', () => {
    expect(summaryLine({ built: 0, skipped: 0, failed: ['content/a.md'], kept: [], seconds: 0.2, checkOnly: true, checked: 3 })).toBe(
      'Checked 3 records: 2 valid, 1 with errors. Failed: content/a.md',
    )
    expect(summaryLine({ built: 0, skipped: 0, failed: [], kept: [], seconds: 0.2, checkOnly: true, checked: 1 })).toBe(
      'Checked 1 record: 1 valid, 0 with errors',
    )
  })
})

describe('control characters in error headers (regressions: the first errorHeader printed them raw)', () => {
  it('does not print control characters of an unknown key raw in the error header', () => {
    // A quoted YAML key may hold "\e" and "\a"; UnknownField puts the key into `field`; printed raw, this record would
    // set the terminal title (OSC 0) when its error is printed.
    const text = RECORD.replace('status: ongoing', 'status: ongoing\n"\\e]0;pwned\\a": 1')
    const error = recordErrors('key-escape', text).find((e) => e.code === 'UnknownField')
    if (!error) throw new Error('expected an UnknownField error')
    expect(error.loc?.line).toBe(4)
    const block = formatError(error, { cwd, color: false })
    expect(block).not.toMatch(CONTROL)
    // The key is still recognisable in the header.
    expect(block.split('\n')[0]).toMatch(/^content\/key-escape\.md:4 .*\]0;pwned.*: is not a field of a record/)
  })

  it('does not print C1 control characters of a value raw in the error header', () => {
    // describeValue uses JSON.stringify, which escapes U+0000-U+001F but not U+007F-U+009F (U+009B is CSI).
    const text = RECORD.replace('status: ongoing', 'status: "ongoing\\x9b31m"')
    const error = recordErrors('c1-escape', text).find((e) => e.field === 'status')
    if (!error) throw new Error('expected an error for status')
    expect(errorHeader(error)).not.toMatch(CONTROL)
    expect(errorHeader(error)).toMatch(/^content\/c1-escape\.md:3 status: .*ongoing.*31m/)
  })
})
