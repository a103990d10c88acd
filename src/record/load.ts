/** Stage 1: a content folder → SourceRecord[]: each file's text split into a located YAML document and a Markdown body. */
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { LineCounter, type Document } from 'yaml'
import { SheetError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { parseFrontMatter } from '../core/front-matter.ts'
import { MAX_RECORD_BYTES, readRecordText } from './files.ts'

export { listRecordFiles, MAX_RECORD_BYTES, readRecordText, sourceHash } from './files.ts'

/** One record file as read: its text, its front matter as a YAML document with line numbers, its body. */
export interface SourceRecord {
  /** The file's path as shown to users (relative to the working directory). */
  file: string
  /** The file's absolute path. */
  path: string
  /** The id the file name gives (file name without .md). */
  fileId: string
  /** The whole text, with CRLF turned into LF and any BOM removed. */
  text: string
  /** The parsed front matter as plain data (undefined when it could not be parsed). */
  data: unknown
  /** The YAML document, for finding the line of any field. */
  doc?: Document
  /** Maps offsets in the front matter to lines; its lines are the file's lines. */
  lines: LineCounter
  /** The Markdown after the front matter. */
  body: string
  /** The file line the body starts on. */
  bodyLine: number
  /** Problems found while reading: too large, not YAML, broken YAML. */
  errors: SheetError[]
}

/** Reads one record file into a SourceRecord (or parses text already read); never throws for bad content. */
export async function loadRecord(filePath: string, cwd: string, text?: string): Promise<SourceRecord> {
  const file = displayPath(filePath, cwd)
  const content = text ?? readRecordText(filePath)
  if (content === undefined) {
    const size = (await stat(filePath)).size
    const error = new SheetError({
      code: 'RecordTooLarge',
      message: `record is ${(size / 1048576).toFixed(1)} MB, more than the ${MAX_RECORD_BYTES / 1048576} MB a fact sheet can hold`,
      loc: { file },
    })
    const fileId = path.basename(filePath, '.md')
    return { file, path: filePath, fileId, text: '', data: undefined, lines: new LineCounter(), body: '', bodyLine: 1, errors: [error] }
  }
  return parseRecordText(content, file, filePath)
}

/** Splits a record's text into front matter and body and parses the front matter as YAML 1.2 (core schema only). */
export function parseRecordText(text: string, file: string, filePath = file): SourceRecord {
  // Assigned, not spread: the front matter's document and lines are parsed again only if a line is asked for.
  return Object.assign(parseFrontMatter(text, file), { file, path: filePath, fileId: path.basename(filePath, '.md'), text })
}
