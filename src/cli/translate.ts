/** `npm run new:sheet -- <id> --translate fr`: content/<id>.fr.md with the record's text to translate and its current hash. */
import { existsSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { loadRecord } from '../record/load.ts'
import { isKnownLanguage } from '../core/format.ts'
import { recordTextHash } from '../record/translation.ts'
import { validateRecord, type SheetRecord } from '../record/validate.ts'

/** Writes the translation skeleton and returns its path; never overwrites a file. Throws UsageError naming what is wrong. */
export async function writeTranslation(contentDir: string, id: string, lang: string, cwd: string): Promise<string> {
  if (!isKnownLanguage(lang)) throw usage(`"${lang}" is not a language tag`, 'write it as BCP 47, such as fr, ar or pt-BR')
  const tag = Intl.getCanonicalLocales(lang)[0]
  const recordFile = path.join(contentDir, `${id}.md`)
  if (!existsSync(recordFile)) throw usage(`there is no record ${displayPath(recordFile, cwd)} to translate`, 'name the id of a record of the content folder')
  const record = validateRecord(await loadRecord(recordFile, cwd))
  if (Array.isArray(record)) throw usage(`${displayPath(recordFile, cwd)} has errors (${record[0]?.message ?? 'see check:sheets'}): fix them before translating it`, 'npm run check:sheets')
  if ((record.fields.lang ?? 'en').toLowerCase() === tag.toLowerCase()) throw usage(`${displayPath(recordFile, cwd)} is in ${tag} already`)
  const file = path.join(contentDir, `${id}.${tag}.md`)
  if (existsSync(file)) throw usage(`${displayPath(file, cwd)} already exists`, 'edit it; check:sheets tells whether it is stale')
  await writeFile(file, translationSkeleton(record, tag, displayPath(recordFile, cwd)), { flag: 'wx' })
  return file
}

/** The text of a translation skeleton: the record's text fields and body, in the record's words, to translate in place. */
export function translationSkeleton(record: SheetRecord, lang: string, recordFile: string): string {
  const { fields } = record
  const language = new Intl.DisplayNames(['en'], { type: 'language' }).of(lang) ?? lang
  const line = (key: string, value: string | undefined, note: string) => (value === undefined ? [] : [`${key}: ${JSON.stringify(value)}${' '.repeat(Math.max(1, 24 - key.length - JSON.stringify(value).length))}# ${note}`])
  const places = fields.countries.map((entry) => `#   ${JSON.stringify(entry)}: ""`)
  return [
    '---',
    `# ${language} translation of ${recordFile}: translate the text below. The facts (status, period, budget, programme…)`,
    '# come from the record only; check:sheets warns when the record changes after translated_from.',
    `translated_from: ${recordTextHash(fields, record.body)}`,
    ...line('title', fields.title, 'translate'),
    ...line('subtitle', fields.subtitle, 'translate'),
    ...line('implementer', fields.implementer, 'translate if the organisation has a name in this language'),
    ...line('beneficiary', fields.beneficiary, 'translate'),
    '# countries:             # optional: how to write entries the theme cannot name in this language (countries are named for you)',
    ...places,
    '---',
    record.body.replace(/^\n+/, ''),
  ].join('\n')
}

// --- internal ---

function usage(message: string, hint?: string): SheetError {
  return new SheetError({ code: 'UsageError', message, hint })
}
