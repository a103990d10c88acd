/** Programme blurbs (programmes/<key>.md): front matter read by the same loader as records, the body as sanitised HTML. */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { fileSystemError } from '../core/errors.ts'
import { displayPath } from '../core/files.ts'
import { parseFrontMatter } from '../core/front-matter.ts'
import { issueErrors } from '../core/located-yaml.ts'
import { renderMarkdown } from '../core/markdown.ts'

/** A programme blurb shipped with a theme (programmes/<key>.md). */
export interface Programme {
  key: string
  /** Full name, such as "The Migration Partnership Facility". */
  name: string
  /** Short name used in sentences, such as "MPF". */
  short: string
  /** The blurb as sanitised HTML. */
  html: string
  /** The blurb's file, relative to the project folder (templates/mpf/programmes/mpf.md). */
  file: string
}

/** The front matter of a programme blurb. */
export const programmeSchema = z.strictObject({
  /** Full name; default the file name. */
  name: z.string({ error: 'expected the programme name as text' }).trim().min(1).max(200).optional(),
  /** Short name used in sentences; default the file name in capitals. */
  short: z.string({ error: 'expected a short name as text' }).trim().min(1).max(40).optional(),
})

/** Reads a programme blurb; a file without front matter is all body. Throws ThemeInvalid with the file, line and field. */
export function loadProgramme(file: string, cwd: string): Programme {
  const key = path.basename(file, '.md')
  const shown = displayPath(file, cwd)
  let text: string
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  } catch (cause) {
    throw fileSystemError(cause, 'the programme blurb', shown)
  }
  const baseDir = path.dirname(file)
  if (!text.startsWith('---')) return { key, name: key, short: key.toUpperCase(), html: renderMarkdown(text, { baseDir }).html, file: shown }
  const front = parseFrontMatter(text, shown)
  if (front.errors.length > 0) throw front.errors[0].with({ code: 'ThemeInvalid' })
  const parsed = programmeSchema.safeParse(front.data, { reportInput: true })
  if (!parsed.success) {
    const keys = () => ({ noun: 'a field of a programme', known: Object.keys(programmeSchema.shape) })
    throw issueErrors(parsed.error.issues[0], { file: shown, doc: front.doc, lines: front.lines, code: 'ThemeInvalid', keys })[0]
  }
  const html = renderMarkdown(front.body, { baseDir }).html
  return { key, name: parsed.data.name ?? key, short: parsed.data.short ?? key.toUpperCase(), html, file: shown }
}
