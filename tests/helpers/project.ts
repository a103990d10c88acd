/** Temporary project folders for end-to-end tests: tests never write into the repository's own folders. */
import { cpSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The sample records the tests build, never content/: a programme officer who adds or edits a record there must not
 * change what the tests render (#13). They began as copies of the records in content/.
 */
export const SAMPLE_RECORDS = path.join(ROOT, 'tests', 'fixtures', 'records', 'sample')

/** A scratch project: content/ (copied from a source folder or empty), templates/ copied from the repository, out/. */
export interface TempProject {
  dir: string
  content: string
  out: string
  templates: string
  write(relative: string, text: string): string
  remove(): void
}

/** Creates a scratch project; `from` is a content folder to copy (default: the sample records, SAMPLE_RECORDS). */
export function tempProject(options: { from?: string | null } = {}): TempProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sheets-test-'))
  const content = path.join(dir, 'content')
  const templates = path.join(dir, 'templates')
  const out = path.join(dir, 'out')
  if (options.from === null) mkdirSync(content)
  else cpSync(options.from ?? SAMPLE_RECORDS, content, { recursive: true })
  cpSync(path.join(ROOT, 'templates'), templates, { recursive: true })
  return {
    dir,
    content,
    out,
    templates,
    write(relative, text) {
      const file = path.join(dir, relative)
      mkdirSync(path.dirname(file), { recursive: true })
      writeFileSync(file, text)
      return file
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
