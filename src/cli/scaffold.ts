/** `npm run new:sheet -- <id>`: a new record from a commented skeleton, ready to fill in. */
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { displayPath, ID_PATTERN } from '../core/files.ts'

/** Writes content/<id>.md from the skeleton and returns its path; never overwrites a record. */
export async function writeSkeleton(contentDir: string, id: string, cwd: string, today = new Date()): Promise<string> {
  if (!ID_PATTERN.test(id) || id.length > 100) {
    throw new SheetError({
      code: 'UsageError',
      message: `"${id}" cannot be a record id`,
      hint: 'use lowercase letters, digits and hyphens, such as jempas-iii',
    })
  }
  const file = path.join(contentDir, `${id}.md`)
  if (existsSync(file)) {
    throw new SheetError({
      code: 'UsageError',
      message: `${displayPath(file, cwd)} already exists`,
      hint: 'pick another id, or edit the existing record',
    })
  }
  await mkdir(contentDir, { recursive: true })
  await writeFile(file, skeleton(today), { flag: 'wx' })
  return file
}

/** The text of a new record: every field with a comment saying what it takes; blanks fail validation until filled. */
export function skeleton(today: Date): string {
  const month = `${today.getUTCFullYear()}-${String(today.getUTCMonth() + 1).padStart(2, '0')}`
  return `---
# A fact sheet record. Fill in the blanks (""), then run: npm run check:sheets
title: ""                 # required: the project's title, 1 to 200 characters
subtitle: ""              # optional: delete this line if there is none
status: planned           # required: planned | ongoing | completed
programme: mpf            # optional: the programme blurb printed at the end (templates/<theme>/programmes/)
implementer: ""           # required: who implements the project, such as ICMPD
beneficiary: ""           # optional: "on behalf of ..."; delete this line if there is none
countries: []             # required: at least one, such as [Jordan, Lebanon]
period:
  start: ${month}          # required: YYYY-MM or YYYY-MM-DD
  # end: ${month}          # required once completed; never before start
budget:                   # required: at least one line; copy the three lines below for each further line
  - amount: 0.00          # such as 1250000.50: no thousands separators, no currency sign
    currency: EUR         # the ISO 4217 code, such as EUR or USD
    fund: ""              # optional: the fund, such as AMIF; delete this line if there is none
# theme: mpf              # optional: another theme folder of templates/
# lang: en                # optional: the sheet's language
---

One or two paragraphs about the project: what it aims at and for whom.

## Activities

### The first activity

What was done, with whom, and what came of it. Markdown works: *emphasis*, lists, [links](https://example.org).
`
}
