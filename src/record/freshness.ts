/** Translations kept in step: which are stale (their record changed since translated_from), which a record lacks (config languages). */
import path from 'node:path'
import { languageName } from '../core/format.ts'
import type { SheetRecord } from './validate.ts'

/** A warning about a translation or a missing one, at a file (and line). */
export interface TranslationWarning {
  file: string
  message: string
}

/**
 * For check:sheets: each translation whose record's text changed since its translated_from (stale), each without
 * translated_from (its freshness cannot be told), and, for every record, each language of `languages` it has no sheet in.
 */
export function translationWarnings(records: readonly SheetRecord[], languages: readonly string[]): TranslationWarning[] {
  const warnings: TranslationWarning[] = []
  for (const record of records) {
    const translation = record.translation
    if (!translation) continue
    const line = (key: string) => record.source.text.split('\n').findIndex((text) => text.startsWith(`${key}:`)) + 1
    if (translation.translatedFrom === null) {
      warnings.push({ file: record.file, message: `has no translated_from: whether it is up to date with ${translation.recordFile} cannot be told (when it matches the record, add translated_from: ${translation.recordHash})` })
    } else if (translation.translatedFrom !== translation.recordHash) {
      warnings.push({ file: `${record.file}:${line('translated_from')}`, message: `is stale: the text of ${translation.recordFile} changed since it was translated (translated_from ${translation.translatedFrom}, now ${translation.recordHash}); update the translation, then set translated_from: ${translation.recordHash}` })
    }
  }
  const sheets = new Set(records.map((record) => `${record.translation?.of ?? record.id}|${record.fields.lang ?? 'en'}`))
  for (const record of records.filter((each) => !each.translation)) {
    for (const lang of languages) {
      if (sheets.has(`${record.id}|${lang}`) || sameLanguage(record.fields.lang ?? 'en', lang)) continue
      const file = path.join(path.dirname(record.file), `${record.id}.${lang}.md`)
      warnings.push({ file: record.file, message: `has no ${languageName(lang)} translation (${file}): npm run new:sheet -- ${record.id} --translate ${lang}` })
    }
  }
  return warnings
}

// --- internal ---

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

