/** The theme's language for a sheet (its words file, or the tag's base language) and the programme blurb in that language. */
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import { languageName } from '../core/format.ts'
import { findLanguage, type Language } from '../theme/languages.ts'
import type { Programme, Theme } from '../theme/theme.ts'

/**
 * The theme's language for a sheet: its words file for the tag (or the tag's base language). A theme without it is a
 * WordsMissing error naming the file to add.
 */
export function sheetLanguage(theme: Theme, lang: string): Language {
  const language = findLanguage(theme.languages, lang)
  if (language) return language
  const english = theme.languages.get('en')?.file ?? ''
  const folder = path.basename(path.dirname(english)) === 'words' ? path.dirname(path.dirname(english)) : path.dirname(english)
  const file = path.join(folder, 'words', `${lang}.json`)
  const known = [...theme.languages.keys()].join(', ')
  const message = `theme ${theme.name} has no words in ${languageName(lang)} (${lang}): its languages are ${known}`
  throw new SheetError({ code: 'WordsMissing', message, field: 'lang', hint: `add ${file} with the words of the theme's words/en.json translated` })
}

/** The programme blurb in the sheet's language: programmes/<key>.<lang>.md, or <key>.md for English. */
export function programmeFor(theme: Theme, key: string, language: Pick<Language, 'lang'>): Programme | null {
  return theme.programmeTranslations.get(`${key}.${language.lang}`) ?? (language.lang === 'en' ? (theme.programmes.get(key) ?? null) : null)
}
