import { describe, expect, it } from 'vitest'
import { errorHeader } from '../../src/core/error-view.ts'
import { parseRecordText } from '../../src/record/load.ts'

const RECORD = [
  '---', //                                        1
  'title: Capacity Building', //                   2
  'subtitle: Support to the partnership', //       3
  'status: ongoing', //                            4
  'implementer: ICMPD', //                         5
  'countries: [Jordan]', //                        6
  'period:', //                                    7
  '  start: 2020-02', //                           8
  'budget:', //                                    9
  '  - amount: 1000.00', //                        10
  '    currency: EUR', //                          11
  '---', //                                        12
  '',
  'Lead.',
  '',
].join('\n')

/** The record with some lines replaced (1-based line → new text), its errors as [header, hint]. */
function slips(changes: Record<number, string>): [string, string | undefined][] {
  const all = RECORD.split('\n')
  for (const [line, text] of Object.entries(changes)) all[Number(line) - 1] = text
  const source = parseRecordText(all.join('\n'), 'content/x.md')
  return source.errors.map((error) => [errorHeader(error), error.hint])
}

describe('#13 the YAML slips people make, in plain sentences with the fix', () => {
  it('points an unclosed quote at the line where it opens, not at the end of the front matter', () => {
    expect(slips({ 3: 'subtitle: "Support to the partnership' })).toEqual([
      ['content/x.md:3 subtitle: opens a quote (") that is never closed', 'close it at the end of the value: subtitle: "Support to the partnership"'],
    ])
    expect(slips({ 2: "title: 'Capacity Building" })).toEqual([
      ["content/x.md:2 title: opens a quote (') that is never closed", "close it at the end of the value: title: 'Capacity Building'"],
    ])
  })

  it('closes the quote before a comment on the line, as the skeleton of new:sheet has', () => {
    expect(slips({ 2: 'title: "Capacity Building      # required: the title' })[0][1]).toBe('close it at the end of the value: title: "Capacity Building"      # required: the title')
  })

  it('closes the quote inside { } where the value ends', () => {
    expect(slips({ 10: '  - { amount: 1000.00, currency: "EUR }', 11: '' })).toEqual([
      ['content/x.md:10 budget[0].currency: opens a quote (") that is never closed', 'close it at the end of the value: - { amount: 1000.00, currency: "EUR" }'],
    ])
  })

  it('keeps reading the rest of the file after an unclosed quote: a tab and a tag below it are reported too', () => {
    expect(slips({ 2: 'title: "Capacity Building', 8: '\tstart: 2020-02', 11: '    currency: !!binary RVVS' })).toEqual([
      ['content/x.md:2 title: opens a quote (") that is never closed', 'close it at the end of the value: title: "Capacity Building"'],
      ['content/x.md:8 front matter is indented with a tab (shown as →)', 'indent with spaces: YAML does not allow tabs'],
      ['content/x.md:11 budget[0].currency: YAML tags are not allowed (got "!!binary")', 'remove the !!tag and write a plain value'],
    ])
  })

  it('says what to do with a quoted phrase at the start of a value', () => {
    expect(slips({ 2: 'title: "Big" project' })).toEqual([
      [
        'content/x.md:2 title: starts with a quoted phrase and goes on after it (got "\\"Big\\" project")',
        `put the whole value in quotes, with the other kind of quote around it: title: '"Big" project'`,
      ],
    ])
    expect(slips({ 2: "title: 'Big' project" })[0][1]).toBe(`put the whole value in quotes, with the other kind of quote around it: title: "'Big' project"`)
    // A quoted phrase later in the value is plain YAML, and no error.
    expect(slips({ 2: 'title: The "Big" project' })).toEqual([])
  })

  it('asks for quotes around a value with a colon in it', () => {
    expect(slips({ 2: 'title: Migration: the next steps' })).toEqual([
      [
        'content/x.md:2 title: holds a colon followed by a space, which YAML reads as the start of another field (got "Migration: the next steps")',
        'put the whole value in quotes: title: "Migration: the next steps"',
      ],
    ])
  })

  it('names the line indented too deep, rather than the field above it', () => {
    expect(slips({ 8: '  start: 2020-02\n   end: 2021-10' })).toEqual([
      [
        'content/x.md:9 front matter has a line indented deeper than the field above it, so YAML reads it as part of that value',
        'start it in the same column as the field above (with spaces), or under a field that ends with a colon',
      ],
    ])
  })

  it('points an unclosed [ list at the line where it opens', () => {
    expect(slips({ 6: 'countries: [Jordan, Lebanon' })).toEqual([
      ['content/x.md:6 countries: a list opened with [ is not closed on its line', 'end it with ] on the same line: countries: [Jordan, Lebanon]'],
    ])
  })

  it('names the field of a YAML tag, at any depth', () => {
    expect(slips({ 11: '    currency: !!binary RVVS' })).toEqual([
      ['content/x.md:11 budget[0].currency: YAML tags are not allowed (got "!!binary")', 'remove the !!tag and write a plain value'],
    ])
    expect(slips({ 3: "subtitle: !!js/function 'function () {}'" })[0][0]).toBe('content/x.md:3 subtitle: YAML tags are not allowed (got "!!js/function")')
  })
})
