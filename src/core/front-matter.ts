/** Markdown with YAML front matter (records, programme blurbs): split by gray-matter, read as located YAML, never run. */
import matter from 'gray-matter'
import { LineCounter } from 'yaml'
import { SheetError } from './errors.ts'
import { parseLocatedYaml, type LocatedYaml } from './located-yaml.ts'

/** Aliases front matter may expand; a "billion laughs" file stops here. */
export const MAX_ALIAS_COUNT = 100

/** A Markdown file read: its front matter as located YAML (its lines are the file's lines), its body and where that starts. */
export interface FrontMatterFile extends LocatedYaml {
  /** The Markdown after the front matter. */
  body: string
  /** The file line the body starts on. */
  bodyLine: number
}

/**
 * Splits a Markdown file's text (LF line ends, no BOM) into front matter and body and parses the front matter as YAML 1.2
 * (core schema only). Never throws for bad content: every problem is an error with its line (code FrontMatterSyntax or
 * FrontMatterLanguage, or `code` when given).
 */
export function parseFrontMatter(text: string, file: string): FrontMatterFile {
  const none = { lines: new LineCounter(), data: undefined }
  if (!text.startsWith('---')) {
    const error = new SheetError({
      code: 'FrontMatterSyntax',
      message: 'the record has no front matter',
      loc: { file, line: 1 },
      hint: 'start the file with a line of three dashes ---, then the fields (title:, status: ...), then another --- line',
    })
    return { ...none, body: text, bodyLine: 1, errors: [error] }
  }
  // "---js", "---toml"...: the language is read here, before gray-matter, which would run or parse it.
  const firstLine = text.slice(3, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n')).trim()
  if (firstLine !== '' && !/^ya?ml$/i.test(firstLine)) return { ...none, body: '', bodyLine: 1, errors: [languageError(firstLine, file)] }
  let split: matter.GrayMatterFile<string>
  try {
    split = matter(text, { engines: REFUSING_ENGINES, language: 'yaml' })
  } catch (cause) {
    return { ...none, body: '', bodyLine: 1, errors: [languageError(String((cause as Error).message), file)] }
  }
  const bodyLine = lineOf(text, text.length - split.content.length)
  // gray-matter's `matter` starts with the newline after the opening ---: its lines are the file's lines.
  const front = parseLocatedYaml(split.matter, { file, code: 'FrontMatterSyntax', subject: 'front matter', language: 'YAML', maxAliasCount: MAX_ALIAS_COUNT, lazy: true })
  // Assigned, not spread: the document and lines stay unread until asked for (see parseLocatedYaml).
  return Object.assign(front, { body: split.content, bodyLine })
}

// --- internal ---

/** gray-matter would evaluate ---js front matter as code; every engine but our YAML pass is refused. */
function refuse(language: string) {
  return () => {
    throw new Error(language)
  }
}
const REFUSING_ENGINES = Object.fromEntries(
  ['js', 'javascript', 'json', 'toml', 'coffee', 'coffeescript', 'cson'].map((name) => [name, { parse: refuse(name), stringify: refuse(name) }]),
) as unknown as Record<string, (input: string) => object>
// The YAML engine only splits: the text is parsed by the yaml package (safe core schema, line numbers).
;(REFUSING_ENGINES as Record<string, unknown>).yaml = { parse: () => ({}), stringify: () => '' }

function languageError(found: string, file: string): SheetError {
  return new SheetError({
    code: 'FrontMatterLanguage',
    message: `front matter must be YAML (got ${JSON.stringify(`---${found.slice(0, 40)}`)})`,
    loc: { file, line: 1 },
  })
}

function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}
