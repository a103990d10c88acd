import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterEach, describe, expect, it } from 'vitest'
import { parseRecordText } from '../../src/record/load.ts'
import { RECORD_SCHEMA_FILE, recordJsonSchema, TRANSLATION_SCHEMA_FILE, translationJsonSchema } from '../../src/record/json-schema.ts'
import { translationName } from '../../src/record/files.ts'
import { skeleton, writeSkeleton } from '../../src/cli/scaffold.ts'
import { validateRecord } from '../../src/record/validate.ts'
import { errorHeader } from '../../src/core/error-view.ts'
import type { SheetError } from '../../src/core/errors.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('new:sheet skeleton', () => {
  let dir: string | undefined
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }))

  it('#5 writes a record whose blanks are each reported with their line until filled in', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skeleton-'))
    const file = await writeSkeleton(path.join(dir, 'content'), 'jempas-iii', dir, new Date(Date.UTC(2026, 10, 29)))
    const text = readFileSync(file, 'utf8')
    const errors = validateRecord(parseRecordText(text, 'content/jempas-iii.md')) as SheetError[]
    expect(errors.map(errorHeader)).toEqual([
      'content/jempas-iii.md:3 title: expected a title, not an empty text (got "")',
      'content/jempas-iii.md:4 subtitle: expected a subtitle, not an empty text (got "")',
      'content/jempas-iii.md:7 implementer: expected the implementing organisation, not an empty text (got "")',
      'content/jempas-iii.md:8 beneficiary: expected a beneficiary, not an empty text (got "")',
      'content/jempas-iii.md:9 countries: expected at least one country (got an empty list)',
      'content/jempas-iii.md:16 budget[0].fund: expected the name of a fund, not an empty text (got "")',
    ])
    const filled = text
      .replace('title: ""', 'title: Capacity Building III')
      .replace('subtitle: ""', 'subtitle: A third phase')
      .replace('implementer: ""', 'implementer: ICMPD')
      .replace('beneficiary: ""', 'beneficiary: Jordan')
      .replace('countries: []', 'countries: [Jordan]')
      .replace('fund: ""', 'fund: AMIF')
    const record = validateRecord(parseRecordText(filled, 'content/jempas-iii.md'))
    expect(Array.isArray(record)).toBe(false)
    expect(record).toMatchObject({ id: 'jempas-iii', fields: { period: { start: '2026-11' }, status: 'planned' } })
  })

  it('#13 writes budget lines in block style, where an amount with thousands separators gets a plain-sentence fix', () => {
    const text = skeleton(new Date(Date.UTC(2026, 10, 29)))
    expect(text).toContain('budget:')
    expect(text).toMatch(/^ {2}- amount: 0\.00 .*\n {4}currency: EUR .*\n {4}fund: "" /m)
    expect(text.slice(text.indexOf('budget:'), text.lastIndexOf('---'))).not.toContain('{')
    const typed = text.replace('amount: 0.00', 'amount: 1,250,000.50').replace('title: ""', 'title: X')
    const errors = validateRecord(parseRecordText(typed, 'content/x.md')) as SheetError[]
    const amount = errors.find((error) => error.field === 'budget[0].amount')
    expect(amount && errorHeader(amount)).toBe(
      'content/x.md:14 budget[0].amount: expected a number such as 189403.21, without currency or thousands separators (got "1,250,000.50")',
    )
    expect(amount?.hint).toBe('write 1250000.50, without thousands separators')
  })

  it('#5 never overwrites a record and refuses ids that are not file-safe', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'skeleton-'))
    await writeSkeleton(dir, 'one', dir)
    await expect(writeSkeleton(dir, 'one', dir)).rejects.toThrow(/already exists/)
    await expect(writeSkeleton(dir, '../escape', dir)).rejects.toThrow(/cannot be a record id/)
    expect(readdirSync(dir)).toEqual(['one.md'])
    expect(skeleton(new Date(Date.UTC(2027, 0, 5)))).toContain('start: 2027-01')
  })
})

describe('record JSON Schema', () => {
  it('#5 the committed schema/record.schema.json is the one generated from the zod schema', () => {
    expect(readFileSync(path.join(root, RECORD_SCHEMA_FILE), 'utf8')).toBe(recordJsonSchema())
    expect(readFileSync(path.join(root, TRANSLATION_SCHEMA_FILE), 'utf8')).toBe(translationJsonSchema())
  })

  it('#5 accepts the sample records and refuses a wrong currency, an unknown field and a bad date', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    const validate = ajv.compile(JSON.parse(recordJsonSchema()))
    const validateTranslation = ajv.compile(JSON.parse(translationJsonSchema()))
    for (const name of readdirSync(path.join(root, 'content')).filter((file) => file.endsWith('.md'))) {
      const data = parseRecordText(readFileSync(path.join(root, 'content', name), 'utf8'), name).data
      const check = translationName(name.slice(0, -3)) ? validateTranslation : validate
      expect(check(data), `${name}: ${JSON.stringify(check.errors)}`).toBe(true)
    }
    expect(validateTranslation({ title: 'Titre', status: 'completed' })).toBe(false)
    const base = parseRecordText(readFileSync(path.join(root, 'tests/fixtures/records/sample/jempas-ii.md'), 'utf8'), 'x.md').data as Record<string, unknown>
    expect(validate({ ...base, budjet: 1 })).toBe(false)
    expect(validate({ ...base, period: { start: '2020/02' } })).toBe(false)
    expect(validate({ ...base, status: 'done' })).toBe(false)
    expect(validate({ ...base, budget: [{ amount: 1, currency: 'EURO', fund: 'AMIF' }] })).toBe(false)
  })
})
