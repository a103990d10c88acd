/** The record files of a content folder, listed and read as text: what an up-to-date check needs, without parsing. */
import { readFileSync, statSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileSystemError, SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { isKnownLanguage } from '../core/format.ts'
import { sha256 } from '../core/hash.ts'

/** Records larger than this are refused before parsing (see the security model in the README). */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024

/**
 * Lists the record files of a content folder (*.md, sorted, not recursing into sub-folders). A folder that is missing,
 * is a file, or cannot be read is a FileSystemError naming it (exit 2), never a stack trace.
 */
export async function listRecordFiles(dir: string, cwd: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.name.startsWith('.'))
      .map((entry) => path.join(dir, entry.name))
      .sort()
  } catch (cause) {
    const error = fileSystemError(cause, 'the content folder', displayPath(dir, cwd))
    throw error instanceof SheetError ? error.with({ hint: 'create it with one <id>.md per project, or pass --content DIR' }) : error
  }
}

/**
 * A record file's text as read (BOM removed, CRLF as LF), or undefined when it is over the size limit. Read at once:
 * for a thousand small files, a promise and a thread-pool round trip each cost more than the reading.
 */
export function readRecordText(filePath: string): string | undefined {
  if (statSync(filePath).size > MAX_RECORD_BYTES) return undefined
  const text = readFileSync(filePath, 'utf8')
  const unmarked = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked
}

/** The hash a sheet's source is known by: its file's text, and for a translation the text of the record it translates too. */
export function sourceHash(text: string, recordText?: string): string {
  return recordText === undefined ? sha256(text) : sha256(`${text}\0${recordText}`)
}

/**
 * The sourceHash of a sheet's files as `read` gives their texts: [record] or [translation, the record it translates];
 * undefined when one of them cannot be read.
 */
export function filesHash(files: readonly string[], read: (file: string) => string | undefined): string | undefined {
  const [text, record] = files.map(read)
  return text === undefined || (files.length > 1 && record === undefined) ? undefined : sourceHash(text, record)
}

/** The record id and language a file name gives when it names a translation ("jempas-ii.fr" → jempas-ii, fr); else undefined. */
export function translationName(fileId: string): { of: string; lang: string } | undefined {
  const match = /^([a-z0-9-]+)\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)$/.exec(fileId)
  if (!match || !isKnownLanguage(match[2])) return undefined
  return { of: match[1], lang: Intl.getCanonicalLocales(match[2])[0] }
}

/** The record file a translation's file translates (content/x.fr.md → content/x.md); undefined for a record's own file. */
export function translatedRecordFile(file: string): string | undefined {
  const name = translationName(path.basename(file, '.md'))
  return name && path.join(path.dirname(file), `${name.of}.md`)
}
