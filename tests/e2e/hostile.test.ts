/**
 * Hostile records: the security contract of the README ("Security model"), checked on the real command.
 *
 * Every fixture in tests/fixtures/hostile/ is one attack or fault, named for it. Most share ONE build of a content
 * folder holding all of them plus two good records whose PDFs were built before; a few need a build of their own
 * (a sheet that never finishes laying out, a record that may bring the whole build down, a record that claims another
 * record's id, a symbolic link). Each test checks, for its fixture: the exit code, the message printed for that file,
 * that a canary HTTP server referenced from every place a record can put a URL got no connection at all, that no
 * local file's content is in any PDF, that the earlier good PDFs are byte for byte what they were, and that nothing
 * was written outside out/ and no temporary file is left in it.
 *
 * Placeholders in fixtures: @@CANARY@@ becomes 127.0.0.1:<port of the canary>, @@PROJECT@@ the project's folder.
 */
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { Parser } from 'htmlparser2'
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCanary, type Canary } from '../helpers/canary.ts'
import { pdfFlatText } from '../helpers/pdf.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli, type RunResult } from '../helpers/run.ts'

const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'hostile')
const ASSETS = 'hostile-assets'
/** Reproducible PDFs, so that a good sheet printed again in a hostile build must come out byte for byte the same. */
const ENV = { SOURCE_DATE_EPOCH: '1700000000' }
/** In the secret files next to the content folder (outside it); it must never reach a PDF. */
const SECRET = `SECRET-MARKER-${randomBytes(8).toString('hex')}`
const GOOD_IDS = ['good-a', 'good-b'] as const
/** Files a hostile id might write outside out/. */
const EVIL_PATHS = ['/tmp/sheets-hostile-evil.pdf', '/tmp/sheets-hostile-evil.html']
/** Files that front matter code would write if it ran (in the project folder). */
const PWNED = ['pwned-by-js-front-matter', 'pwned-by-coffee-front-matter', 'pwned-by-uppercase-js', 'pwned-by-js-function', 'pwned-by-python-tag']

// No subtitle on purpose: a polluted Object.prototype.subtitle would show on these sheets.
const GOOD = (title: string) => `---
title: ${title}
status: ongoing
implementer: ICMPD
countries: [Jordan]
period:
  start: 2023-03
budget:
  - { amount: 1000, currency: EUR, fund: AMIF }
---

Lead text of ${title}.
`

/** Fixtures that are seeds: the test grows them before the build (keeps multi-megabyte files out of the repository). */
const GROW: Record<string, () => string> = {
  'record-too-large.md': () => `${'Padding paragraph for a record over the size limit. '.repeat(40)}\n\n`.repeat(1200),
  'layout-too-many-pages.md': () => `${'A paragraph that fills the page with plain words. '.repeat(20)}\n\n`.repeat(300),
  'layout-huge-table.md': () =>
    `| ${Array.from({ length: 10 }, (_, i) => `Head ${i}`).join(' | ')} |\n${'|---'.repeat(10)}|\n` +
    `| ${Array(10).fill('cell').join(' | ')} |\n`.repeat(20_000),
  'layout-deep-nesting.md': () =>
    `${'> '.repeat(5000)}deep quote\n\n${'- '.repeat(5000)}deep list\n\n${'1. '.repeat(3000)}deep numbered list\n\n` +
    `${'<blockquote>'.repeat(5000)}deep html quote${'</blockquote>'.repeat(5000)}\n\n` +
    `${'<ul><li>'.repeat(5000)}deep html list${'</li></ul>'.repeat(5000)}\n\n` +
    `${'<table><tr><td>'.repeat(2000)}deep table${'</td></tr></table>'.repeat(2000)}\n`,
}

/** Fixtures with a build of their own; all others share one build. */
const OWN_BUILD = new Set([
  'layout-huge-table.md', // hangs a page for --timeout seconds
  'layout-deep-nesting.md', // in the same slow build as the huge table
  'yaml-deep-nesting.md', // may bring down the whole build
  'dup-id-claims-good-a.md', // claims good-a's id
  'img-symlink-outside.md', // needs symbolic links in the content folder
])

const ALL_FIXTURES = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.md'))
  .sort()
const SHARED_FIXTURES = ALL_FIXTURES.filter((name) => !OWN_BUILD.has(name))

// ---------------------------------------------------------------------------------------------------------------
// One build: a temporary project, a canary, the good PDFs from before, the fixtures, the command, what came out.
// ---------------------------------------------------------------------------------------------------------------

interface Build {
  project: TempProject
  canary: Canary
  result: RunResult
  /** The good sheets' PDFs before the hostile build. */
  goodBefore: Map<string, Buffer>
  /** Every file of the project outside out/, before the hostile build. */
  treeBefore: string[]
  /** Flat text of every PDF in out/ after the build, by file name. */
  texts: Map<string, string>
  /** Every HTML file in out/ (the build runs with --html), by file name. */
  html: Map<string, string>
}

/** The good sheets, built once; every hostile build starts from a copy of this out/ folder. */
let seed: { project: TempProject; out: string; pdfs: Map<string, Buffer> } | undefined

async function buildSeed(): Promise<void> {
  const project = tempProject({ from: null })
  project.write('content/good-a.md', GOOD('Alpha good project'))
  project.write('content/good-b.md', GOOD('Beta good project'))
  const result = await runCli([], { cwd: project.dir, env: ENV })
  expect(result.code, result.stderr).toBe(0)
  const pdfs = new Map(GOOD_IDS.map((id) => [id, readFileSync(path.join(project.out, `${id}.pdf`))]))
  seed = { project, out: project.out, pdfs }
}

async function hostileBuild(fixtures: readonly string[], args: string[], options: { symlinks?: boolean } = {}): Promise<Build> {
  if (!seed) throw new Error('the seed build did not run')
  const canary = await startCanary()
  const project = tempProject({ from: null })
  const fill = (text: string) => text.replaceAll('@@CANARY@@', canary.host).replaceAll('@@PROJECT@@', project.dir)
  // Secrets next to the content folder, outside it.
  writeFileSync(path.join(project.dir, 'secret.txt'), `${SECRET}\n`)
  writeFileSync(path.join(project.dir, 'secret.svg'), secretSvg())
  project.write('content/good-a.md', GOOD('Alpha good project'))
  project.write('content/good-b.md', GOOD('Beta good project'))
  cpSync(seed.out, project.out, { recursive: true })
  mkdirSync(path.join(project.content, ASSETS))
  for (const name of readdirSync(path.join(FIXTURES, ASSETS)))
    writeFileSync(path.join(project.content, ASSETS, name), fill(readFileSync(path.join(FIXTURES, ASSETS, name), 'utf8')))
  if (options.symlinks) {
    symlinkSync('../../secret.svg', path.join(project.content, ASSETS, 'linked-secret.svg'))
    symlinkSync('/etc/passwd', path.join(project.content, ASSETS, 'linked-passwd.svg'))
  }
  for (const name of fixtures) project.write(`content/${name}`, fill(readFileSync(path.join(FIXTURES, name), 'utf8')) + (GROW[name]?.() ?? ''))
  for (const file of EVIL_PATHS) rmSync(file, { force: true })
  const treeBefore = tree(project.dir, project.out)
  const result = await runCli(args, { cwd: project.dir, env: ENV })
  const texts = new Map<string, string>()
  const html = new Map<string, string>()
  for (const name of readdirSync(project.out)) {
    if (name.endsWith('.pdf')) texts.set(name, pdfFlatText(path.join(project.out, name)))
    if (name.endsWith('.html') && name !== 'index.html') html.set(name, readFileSync(path.join(project.out, name), 'utf8'))
  }
  return { project, canary, result, goodBefore: seed.pdfs, treeBefore, texts, html }
}

async function dispose(build: Build | undefined): Promise<void> {
  if (!build) return
  await build.canary.close()
  build.project.remove()
}

function secretSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><text x="4" y="28" font-size="20">${SECRET}</text></svg>\n`
}

/** Every path under dir (relative), skipping one folder. */
function tree(dir: string, skip: string): string[] {
  const found: string[] = []
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name)
      if (full === skip) continue
      found.push(path.relative(dir, full))
      if (lstatSync(full).isDirectory()) walk(full)
    }
  }
  walk(dir)
  return found.sort()
}

// ---------------------------------------------------------------------------------------------------------------
// What a build printed for one file.
// ---------------------------------------------------------------------------------------------------------------

interface ErrorBlock {
  header: string
  text: string
  code: string | undefined
}

/** The error blocks for one record: its header line `content/<file>:LINE field: message`, the code frame, the hint. */
function errorsFor(stderr: string, file: string): ErrorBlock[] {
  const blocks: ErrorBlock[] = []
  let current: string[] | undefined
  const close = () => {
    if (current) blocks.push({ header: current[0], text: current.join('\n'), code: /\[(\w+)\]\s*$/.exec(current[current.length - 1])?.[1] })
    current = undefined
  }
  for (const line of stderr.split('\n')) {
    if (line.startsWith(`content/${file}:`)) {
      close()
      current = [line]
    } else if (current && line.startsWith(' ')) current.push(line)
    else close()
  }
  close()
  return blocks
}

/** The warnings printed for one record. */
function warningsFor(stderr: string, file: string): string[] {
  const prefix = `warning content/${file}: `
  return stderr
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length))
}

/** Text compared without any whitespace or hyphens: pdftotext breaks lines (and hyphenated words) anywhere. */
function squash(text: string): string {
  return text.replace(/[\s\u00a0\u00ad\u2010\u2011-]+/g, '')
}

/** Codes of problems that sit on a line of the record: their message must name it. */
const LINE_CODES = new Set(['FrontMatterSyntax', 'FrontMatterLanguage', 'MissingField', 'InvalidField', 'UnknownField', 'DuplicateId'])

// ---------------------------------------------------------------------------------------------------------------
// PDF and HTML inspection.
// ---------------------------------------------------------------------------------------------------------------

/** The URIs of the clickable links (Link annotations with a URI action) on every page. */
async function linkUris(file: string): Promise<string[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false })
  const uris: string[] = []
  for (const page of doc.getPages()) {
    const annots = page.node.Annots()
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const annot = annots!.lookup(i, PDFDict)
      if (annot.get(PDFName.of('Subtype')) !== PDFName.of('Link')) continue
      const uri = annot.lookupMaybe(PDFName.of('A'), PDFDict)?.lookup(PDFName.of('URI'))
      if (uri instanceof PDFString || uri instanceof PDFHexString) uris.push(uri.decodeText())
    }
  }
  return uris
}

const ACTIONS_THAT_RUN = ['JavaScript', 'Launch', 'SubmitForm', 'ImportData', 'GoToR', 'GoToE', 'ResetForm', 'Rendition', 'RichMediaExecute', 'Sound', 'Movie']

/** Every action in a PDF that is not a URI action to http(s)/mailto: scripts, launches, file: and javascript: URIs. */
async function unsafeActions(file: string): Promise<string[]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false })
  const found: string[] = []
  const visit = (object: PDFObject | undefined, depth: number) => {
    if (depth > 50 || object === undefined) return
    if (object instanceof PDFDict) {
      const uri = object.get(PDFName.of('URI'))
      if ((uri instanceof PDFString || uri instanceof PDFHexString) && !/^(https?:|mailto:)/i.test(uri.decodeText())) found.push(`URI ${uri.decodeText()}`)
      const kind = object.get(PDFName.of('S'))
      if (kind instanceof PDFName && ACTIONS_THAT_RUN.includes(kind.decodeText())) found.push(`/S /${kind.decodeText()}`)
      if (object.has(PDFName.of('JS'))) found.push('/JS')
      for (const [, value] of object.entries()) visit(value, depth + 1)
    } else if (object instanceof PDFArray) {
      for (const value of object.asArray()) visit(value, depth + 1)
    }
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object, 0)
  if (doc.catalog.has(PDFName.of('OpenAction'))) found.push('/OpenAction')
  if (doc.catalog.has(PDFName.of('AA'))) found.push('/AA')
  return found
}

/** Elements that must never reach the printed page from a record. */
const FORBIDDEN_TAGS = new Set(
  'script noscript template iframe frame frameset object embed applet param portal form input button select textarea base link svg math video audio source track picture foreignobject image use feimage'.split(
    ' ',
  ),
)
/** Attributes that load something or run something, whatever their value. */
const FORBIDDEN_ATTRIBUTES = new Set('srcset ping poster background action formaction srcdoc data codebase xlink:href'.split(' '))

/** #12 The locator map the pipeline draws (never record markup: the sanitizer drops every <svg> of a record). */
function isPipelineMap(name: string, attributes: Record<string, string>): boolean {
  return name === 'svg' && attributes.class === 'map' && attributes.role === 'img' && Object.keys(attributes).sort().join() === 'aria-label,class,role,viewbox,xmlns'
}

/** #12 A budget chart's bar, whose only style is its width. */
function isChartBar(name: string, attributes: Record<string, string>): boolean {
  return name === 'span' && attributes.class === 'chart-bar' && /^width: \d+(\.\d+)?%$/.test(attributes.style ?? '')
}

/** What in a sheet's HTML could load or run: forbidden elements and attributes, remote URLs, CSS that fetches. */
function htmlProblems(html: string, canaryHost: string): string[] {
  const problems: string[] = []
  let styles = 0
  let inStyle = false
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (FORBIDDEN_TAGS.has(name) && !isPipelineMap(name, attributes)) problems.push(`<${name}>`)
        if (name === 'meta' && !('charset' in attributes) && attributes['http-equiv']?.toLowerCase() !== 'content-security-policy')
          problems.push(`<meta ${JSON.stringify(attributes)}>`)
        if (name === 'style') {
          styles++
          inStyle = true
        }
        for (const [key, value] of Object.entries(attributes)) {
          if (/^on/i.test(key)) problems.push(`<${name} ${key}>`)
          if (FORBIDDEN_ATTRIBUTES.has(key)) problems.push(`<${name} ${key}>`)
          if (value.includes(canaryHost)) problems.push(`<${name} ${key}="${value.slice(0, 80)}">`)
          if (/^\s*(javascript|vbscript|file|data:text|ftp|intent|chrome):/i.test(value)) problems.push(`<${name} ${key}="${value.slice(0, 80)}">`)
          if (key === 'style' && !/^\s*text-align:\s*(left|right|center)\s*;?\s*$/i.test(value) && !isChartBar(name, attributes))
            problems.push(`<${name} style="${value}">`)
          if (key === 'src' && !value.startsWith('data:image/')) problems.push(`<${name} src="${value.slice(0, 80)}">`)
        }
      },
      ontext(text) {
        if (inStyle && (text.includes(canaryHost) || /@import|url\(\s*['"]?\s*(https?:|\/\/|file:)/i.test(text))) problems.push('remote CSS')
      },
      onclosetag(name) {
        if (name === 'style') inStyle = false
      },
    },
    { decodeEntities: true },
  )
  parser.end(html)
  // One <style>: the theme's, in the head.
  if (styles !== 1) problems.push(`${styles} <style> elements`)
  return problems
}

// ---------------------------------------------------------------------------------------------------------------
// The checks every test makes.
// ---------------------------------------------------------------------------------------------------------------

/** Zero canary hits, no local file in any PDF, the good PDFs byte-identical, nothing outside out/, no temp files. */
function expectContractKept(build: Build): void {
  const { project, result } = build
  expect(build.canary.hits, 'requests and connections that reached the canary').toEqual([])
  expect(build.texts.size).toBeGreaterThan(0)
  for (const [name, text] of build.texts) {
    expect(text, `${name} shows /etc/passwd`).not.toContain('root:x:0:0')
    expect(text, `${name} shows the secret file`).not.toContain(SECRET)
    expect(text, `${name} shows a page from the canary`).not.toContain('CANARY-PAGE')
    expect(text, `${name} shows polluted prototype values`).not.toContain('POLLUTED')
  }
  for (const id of GOOD_IDS) {
    const now = readFileSync(path.join(project.out, `${id}.pdf`))
    expect(now.equals(build.goodBefore.get(id)!), `out/${id}.pdf is byte-identical to the one built before`).toBe(true)
  }
  const out = readdirSync(project.out)
  expect(
    out.filter((name) => name.endsWith('.tmp') || name === '.sheets.lock'),
    'temporary files left in out/',
  ).toEqual([])
  expect(
    out.filter((name) => statSync(path.join(project.out, name)).isDirectory()),
    'folders created in out/',
  ).toEqual([])
  expect(tree(project.dir, project.out), 'files written outside out/').toEqual(build.treeBefore)
  for (const file of EVIL_PATHS) expect(existsSync(file), file).toBe(false)
  for (const file of PWNED) expect(existsSync(path.join(project.dir, file)), `${file}: front matter code ran`).toBe(false)
  expect(result.stderr, 'internal error').not.toMatch(/internal error/i)
  expect(result.stderr, 'stack trace without --verbose').not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m)
}

/** A record that must fail: exit 1, every expected header (file:line field: message) with its code, no PDF of it. */
function expectFailure(build: Build, file: string, expected: { headers: (string | RegExp)[]; codes: string[]; id?: string }): ErrorBlock[] {
  const { result } = build
  expect(result.code, result.stderr).toBe(1)
  const blocks = errorsFor(result.stderr, file)
  const text = blocks.map((block) => block.text).join('\n\n')
  expect(blocks.length, `no error printed for content/${file}:\n${result.stderr.slice(-3000)}`).toBeGreaterThan(0)
  for (const header of expected.headers) {
    if (typeof header === 'string')
      expect(
        blocks.map((block) => block.header),
        `printed for content/${file}:\n${text}`,
      ).toContain(header)
    else expect(text).toMatch(header)
  }
  for (const block of blocks) {
    expect(expected.codes, block.text).toContain(block.code)
    // Where a line applies, the message names it: content/x.md:LINE
    if (LINE_CODES.has(block.code ?? '')) expect(block.header).toMatch(new RegExp(`^content/${escapeRegExp(file)}:\\d+ `))
  }
  expect(result.stdout).toMatch(new RegExp(`Failed: .*content/${escapeRegExp(file)}[,.]`))
  const id = expected.id ?? file.replace(/\.md$/, '')
  if (/^[a-z0-9-]+$/.test(id) && !GOOD_IDS.includes(id as never)) expect(existsSync(path.join(build.project.out, `${id}.pdf`)), `out/${id}.pdf`).toBe(false)
  return blocks
}

/** A record that must build: exit 1 (others failed), no error for it, a PDF with its text, nothing unsafe in it. */
async function expectBuilt(build: Build, file: string): Promise<{ text: string; html: string; pdf: string; warnings: string[] }> {
  const { result, project } = build
  const id = file.replace(/\.md$/, '')
  // Exit 1 when another record of the build failed, else 0.
  expect(result.code, result.stderr).toBe(/ Failed: /.test(result.stdout) ? 1 : 0)
  expect(errorsFor(result.stderr, file).map((block) => block.text)).toEqual([])
  expect(result.stdout).not.toMatch(new RegExp(`Failed: .*content/${escapeRegExp(file)}[,.]`))
  const pdf = path.join(project.out, `${id}.pdf`)
  expect(existsSync(pdf), `out/${id}.pdf`).toBe(true)
  const html = build.html.get(`${id}.html`) ?? ''
  expect(htmlProblems(html, build.canary.host), 'what could load or run in the printed HTML').toEqual([])
  expect(await unsafeActions(pdf), 'actions in the PDF').toEqual([])
  return { text: build.texts.get(`${id}.pdf`) ?? '', html, pdf, warnings: warningsFor(result.stderr, file) }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A header with the file and line: `content/<file>:<line> <rest>`. */
const at = (file: string, line: number, rest: string) => `content/${file}:${line} ${rest}`

// ---------------------------------------------------------------------------------------------------------------
// The shared build: every fixture but the few with a build of their own.
// ---------------------------------------------------------------------------------------------------------------

beforeAll(buildSeed, 60_000)
afterAll(() => seed?.project.remove())

describe('hostile records, one build of all of them', () => {
  let build: Build
  beforeAll(async () => {
    build = await hostileBuild(SHARED_FIXTURES, ['--force', '--html', '--max-pages', '4'])
  }, 120_000)
  afterAll(() => dispose(build))

  it('the shared build has every fixture but those with a build of their own, and at least 30 fixtures in all', () => {
    expect(ALL_FIXTURES.length).toBeGreaterThanOrEqual(30)
    expect(SHARED_FIXTURES.length).toBe(ALL_FIXTURES.length - OWN_BUILD.size)
    expect(build.result.code, build.result.stderr).toBe(1)
    // The good records were printed again in the hostile build.
    expect(build.result.stdout).not.toMatch(/Failed: .*good-/)
    expectContractKept(build)
  })

  // --- front matter is YAML only, never code ---

  const language = (file: string, found: string) => () => {
    expectFailure(build, file, { headers: [at(file, 1, `front matter must be YAML (got "---${found}")`)], codes: ['FrontMatterLanguage'] })
    expectContractKept(build)
  }
  it('fm-js-writes-file.md: ---js is refused, never run (its code would write a file)', () => {
    language('fm-js-writes-file.md', 'js')()
    expect(existsSync(path.join(build.project.dir, 'pwned-by-js-front-matter'))).toBe(false)
  })
  it('fm-javascript-process-exit.md: ---javascript is refused, never run (its process.exit(42) does not end the build)', () => {
    expect(build.result.code).not.toBe(42)
    language('fm-javascript-process-exit.md', 'javascript')()
    // The build went on after this record: the records after it in order were built.
    expect(build.texts.has('template-in-body.pdf')).toBe(true)
  })
  it('fm-json.md: ---json is refused', language('fm-json.md', 'json'))
  it('fm-toml.md: ---toml is refused', language('fm-toml.md', 'toml'))
  it('fm-coffee.md: ---coffee is refused, never run', () => {
    language('fm-coffee.md', 'coffee')()
    expect(existsSync(path.join(build.project.dir, 'pwned-by-coffee-front-matter'))).toBe(false)
  })
  it('fm-js-uppercase.md: ---JS is refused, never run', () => {
    expectFailure(build, 'fm-js-uppercase.md', {
      headers: [/^content\/fm-js-uppercase\.md:1 front matter must be YAML \(got "---(JS|js|javascript)"\)$/m],
      codes: ['FrontMatterLanguage'],
    })
    expect(existsSync(path.join(build.project.dir, 'pwned-by-uppercase-js'))).toBe(false)
    expectContractKept(build)
  })
  it('fm-language-proto.md: ---__proto__ (a property of every object) is refused as a front matter language', () => {
    expectFailure(build, 'fm-language-proto.md', {
      headers: [/^content\/fm-language-proto\.md:1 front matter must be YAML \(got "---/m],
      codes: ['FrontMatterLanguage'],
    })
    expectContractKept(build)
  })

  // --- YAML: no tags, bounded aliases, no prototype keys, no duplicates ---

  it('yaml-tag-js-function.md: !!js/function is refused, never evaluated', () => {
    const file = 'yaml-tag-js-function.md'
    expectFailure(build, file, { headers: [at(file, 3, 'subtitle: YAML tags are not allowed (got "!!js/function")')], codes: ['FrontMatterSyntax'] })
    expect(existsSync(path.join(build.project.dir, 'pwned-by-js-function'))).toBe(false)
    expectContractKept(build)
  })
  it('yaml-tag-binary.md: !!binary is refused as a tag', () => {
    const file = 'yaml-tag-binary.md'
    expectFailure(build, file, { headers: [at(file, 4, 'implementer: YAML tags are not allowed (got "!!binary")')], codes: ['FrontMatterSyntax'] })
    expectContractKept(build)
  })
  it('yaml-tag-python-object.md: !!python/object is refused', () => {
    const file = 'yaml-tag-python-object.md'
    expectFailure(build, file, {
      headers: [at(file, 10, 'beneficiary: YAML tags are not allowed (got "!!python/object/apply:os.system")')],
      codes: ['FrontMatterSyntax'],
    })
    expect(existsSync(path.join(build.project.dir, 'pwned-by-python-tag'))).toBe(false)
    expectContractKept(build)
  })
  it('yaml-billion-laughs.md: nine levels of nine aliases fail at the first alias line', () => {
    const file = 'yaml-billion-laughs.md'
    expectFailure(build, file, {
      headers: [at(file, 6, 'front matter repeats YAML aliases (*name) too often: more than 100 copies')],
      codes: ['FrontMatterSyntax'],
    })
    expectContractKept(build)
  })
  it('yaml-proto-key.md: __proto__ is an unknown field, and its title does not become the record title', () => {
    const file = 'yaml-proto-key.md'
    expectFailure(build, file, {
      headers: [at(file, 2, '__proto__: is not a field of a record'), at(file, 1, 'title: is required: expected a title as text (got nothing)')].map(
        (header) => new RegExp(`^${escapeRegExp(header)}`, 'm'),
      ),
      codes: ['UnknownField', 'MissingField'],
    })
    expectContractKept(build)
  })
  it('yaml-constructor-prototype-keys.md: constructor, prototype and a nested __proto__ are unknown fields', () => {
    const file = 'yaml-constructor-prototype-keys.md'
    expectFailure(build, file, {
      headers: [
        new RegExp(`^${escapeRegExp(at(file, 8, 'period.__proto__: is not a field of period'))}`, 'm'),
        new RegExp(`^${escapeRegExp(at(file, 11, 'constructor: is not a field of a record'))}`, 'm'),
        new RegExp(`^${escapeRegExp(at(file, 15, 'prototype: is not a field of a record'))}`, 'm'),
      ],
      codes: ['UnknownField'],
    })
    expectContractKept(build)
  })
  it('yaml-duplicate-key.md: a key given twice (once quoted) is an error on the second line', () => {
    const file = 'yaml-duplicate-key.md'
    expectFailure(build, file, { headers: [at(file, 10, 'title: the field "title" is given twice')], codes: ['FrontMatterSyntax'] })
    expect([...build.texts.values()].some((text) => text.includes('DUPLICATE'))).toBe(false)
    expectContractKept(build)
  })

  // --- record text is data, never a template ---

  it('template-in-title-subtitle.md: Handlebars in the title and subtitle print as typed', async () => {
    const { text } = await expectBuilt(build, 'template-in-title-subtitle.md')
    for (const literal of [
      '{{title}} {{{lead}}} {{> key-facts}} {{#each countries}}EACH{{/each}}',
      '{{{sections}}} {{> programme}} {{@root.text.about}} {{constructor.constructor}}',
    ])
      expect(squash(text)).toContain(squash(literal))
    expectContractKept(build)
  })
  it('template-in-countries-fund.md: Handlebars and {placeholders} in implementer, beneficiary, countries and fund print as typed', async () => {
    const { text } = await expectBuilt(build, 'template-in-countries-fund.md')
    for (const literal of [
      'implemented by {implementer} {programme} {{implementer}}',
      'on behalf of {beneficiary} {{> status-badge}}',
      '{{countriesText}}',
      '{{{partners}}}',
      '{{#each budget.lines}}LINE{{/each}}',
      '(from {{> programme}} {amount} {fund})',
    ])
      expect(squash(text)).toContain(squash(literal))
    expectContractKept(build)
  })
  it('template-in-body.md: Handlebars in the body prints as typed', async () => {
    const { text } = await expectBuilt(build, 'template-in-body.md')
    for (const literal of [
      'Body mustache {{title}} and triple {{{lead}}} stay literal.',
      'Partials {{> key-facts}}',
      'Block helpers {{#each countries}}EACH-ITEM{{/each}} and {{#if title}}IF-TRUE{{/if}} stay literal, as does {{lookup this 1}}.',
    ])
      expect(squash(text)).toContain(squash(literal))
    expectContractKept(build)
  })
  it('html-in-front-matter-fields.md: HTML in front matter fields is escaped text, never markup', async () => {
    const { text } = await expectBuilt(build, 'html-in-front-matter-fields.md')
    for (const literal of [
      '<img src="http://',
      '<script>fetch(',
      '<link rel="stylesheet"',
      '<iframe src=',
      'onerror=fetch(',
      '<style>@import',
      '<object data=',
    ])
      expect(squash(text)).toContain(squash(literal))
    expectContractKept(build)
  })

  // --- HTML in Markdown: dropped, and the build says so ---

  /**
   * A record whose dangerous HTML must be dropped while the sheet is built. `warning` is matched against the warnings
   * about removed images and links; `dropWarning` against the other warnings (about removed elements, attributes, CSS).
   */
  const dropped = (file: string, options: { absent?: string[]; present?: string[]; warning?: RegExp; dropWarning?: RegExp }) => async () => {
    const { text, warnings } = await expectBuilt(build, file)
    for (const marker of options.absent ?? []) expect(text).not.toContain(marker)
    for (const marker of options.present ?? []) expect(squash(text)).toContain(squash(marker))
    expectContractKept(build)
    const aboutImagesAndLinks = warnings.filter((warning) => /^(image|link) "/.test(warning))
    const aboutTheRest = warnings.filter((warning) => !/^(image|link) "/.test(warning))
    if (options.warning) expect(aboutImagesAndLinks.join('\n'), `warnings for content/${file}`).toMatch(options.warning)
    // README: scripts, iframes, objects, embeds, forms, meta/base, styles and event handlers are dropped, "and the
    // build says so as a warning".
    if (options.dropWarning) expect(aboutTheRest.join('\n'), `a warning that names what was dropped from content/${file}`).toMatch(options.dropWarning)
  }
  it(
    'html-script.md: script elements (inline, src, module, noscript, template) are dropped',
    dropped('html-script.md', {
      absent: ['SCRIPT-RAN-MARKER', 'fetch(', 'new Image'],
      present: ['Text before the scripts.', 'text after an inline script.'],
      dropWarning: /script/i,
    }),
  )
  it(
    'html-iframe-object-embed.md: iframes, objects, embeds, frames, portals and applets are dropped',
    dropped('html-iframe-object-embed.md', {
      absent: ['IFRAME-FALLBACK-TEXT'],
      present: ['Frames and plug-ins must be dropped.'],
      dropWarning: /iframe|object|embed/i,
    }),
  )
  it(
    'html-form-meta-base.md: forms, meta refresh, base and link tags (prefetch, preload, icon, import) are dropped',
    dropped('html-form-meta-base.md', {
      absent: ['FORM-VALUE-MARKER'],
      warning: /image "relative-under-base\.png" was removed/,
      dropWarning: /form|meta|base|link/i,
    }),
  )
  it(
    'html-event-handlers.md: event handlers (onerror, onload, ontoggle, onclick...) are dropped',
    dropped('html-event-handlers.md', { present: ['Paragraph with handlers.'], dropWarning: /\bon[a-z]+\b|event handler/i }),
  )
  it(
    'css-remote.md: remote CSS (link stylesheet, @import, url() in style elements and attributes, @font-face) is dropped',
    dropped('css-remote.md', { absent: ['CSS-GENERATED-MARKER'], present: ['Paragraph with a remote background.'], dropWarning: /style|css/i }),
  )
  it(
    'svg-inline-script.md: inline SVG with script, remote images, use and foreignObject is dropped',
    dropped('svg-inline-script.md', { absent: ['SVG-TEXT-MARKER'], present: ['Before the SVG.', 'After the SVG.'], dropWarning: /svg|script/i }),
  )
  it(
    'html-data-url-documents.md: data: documents (iframe, object, embed, data:text/html and data:image/svg+xml images, links) are dropped',
    dropped('html-data-url-documents.md', {
      absent: ['DATA-IFRAME-MARKER', 'DATA-IMG-HTML-MARKER'],
      warning: /image "data:text\/html,<p>DATA-IMG-HTML-MARKER<\/p>" was removed/,
      dropWarning: /iframe|object|embed/i,
    }),
  )
  it(
    'img-remote.md: remote images (markdown, https, protocol-relative, srcset, picture, poster, lazy, ping, background) are dropped',
    dropped('img-remote.md', { present: ['a link with a ping'], warning: /image "http:\/\/127\.0\.0\.1:\d+\/markdown-image\.png" was removed/ }),
  )
  it(
    'img-local-system-files.md: /etc/passwd, /etc/hostname, file:// and /proc images, objects and iframes are dropped',
    dropped('img-local-system-files.md', { warning: /image "\/etc\/passwd" was removed/, dropWarning: /object|iframe|embed/i }),
  )
  it(
    'img-path-traversal.md: ../ traversal, encoded traversal and absolute paths to a secret next to the content folder are dropped',
    dropped('img-path-traversal.md', { warning: /image "\.\.\/secret\.svg" was removed/ }),
  )
  it('img-svg-asset-with-remote-refs.md: an SVG file of the content folder is inlined, and nothing it refers to loads', async () => {
    const { html } = await expectBuilt(build, 'img-svg-asset-with-remote-refs.md')
    expect(html).toMatch(/<img[^>]+src="data:image\/svg\+xml;base64,/)
    expectContractKept(build)
  })
  it('link-dangerous-schemes.md: javascript:, vbscript:, data:, file:, ftp:, intent: and chrome: links lose their target, with a warning', async () => {
    const file = 'link-dangerous-schemes.md'
    const { pdf, warnings } = await expectBuilt(build, file)
    expect(await linkUris(pdf)).toEqual([])
    for (const scheme of ['javascript:', 'vbscript:', 'data:text/html', 'file:///etc/passwd', 'JaVaScRiPt:', 'ftp:', 'intent:', 'chrome:'])
      expect(
        warnings.some((warning) => warning.includes(`link "${scheme}`) || warning.includes(`link " ${scheme}`)),
        scheme,
      ).toBe(true)
    expectContractKept(build)
  })
  it('link-external-https.md: https and mailto links stay clickable in the PDF (Link annotations with their URI)', async () => {
    const file = 'link-external-https.md'
    const { pdf, text, warnings } = await expectBuilt(build, file)
    const uris = await linkUris(pdf)
    expect(uris).toContain('https://www.icmpd.org/our-work/projects/hostile-suite')
    expect(uris).toContain('https://example.org/autolink-hostile-suite')
    expect(uris).toContain('mailto:team@example.org')
    expect(readFileSync(pdf).toString('latin1')).toContain('/URI (https://www.icmpd.org/our-work/projects/hostile-suite)')
    expect(text).toContain('the ICMPD website')
    expect(warnings).toEqual([])
    expectContractKept(build)
  })
  it('control-chars-in-warnings.md: escape sequences in removed links and images never reach the terminal', async () => {
    const file = 'control-chars-in-warnings.md'
    const { warnings } = await expectBuilt(build, file)
    expect(warnings.length).toBeGreaterThan(0)
    expectContractKept(build)
    // README: "Control characters from records are escaped before they reach the terminal."
    expect(build.result.stderr.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? [], 'raw control characters on stderr').toEqual([])
    expect(build.result.stdout.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? [], 'raw control characters on stdout').toEqual([])
  })

  // --- bounds ---

  it('record-too-large.md: a record over 2 MB is refused before it is parsed', () => {
    const file = 'record-too-large.md'
    expect(statSync(path.join(build.project.content, file)).size).toBeGreaterThan(2 * 1024 * 1024)
    expectFailure(build, file, {
      headers: [/^content\/record-too-large\.md: record is 2\.\d MB, more than the 2 MB a fact sheet can hold$/m],
      codes: ['RecordTooLarge'],
    })
    expectContractKept(build)
  })
  it('layout-too-many-pages.md: a sheet over --max-pages fails with the page count, and is not written', () => {
    const file = 'layout-too-many-pages.md'
    expectFailure(build, file, {
      headers: [/^content\/layout-too-many-pages\.md(:\d+)?:? the sheet runs to \d+ pages, more than the limit of 4$/m],
      codes: ['RenderFailed'],
    })
    expectContractKept(build)
  })

  // --- ids and file names never write outside out/ ---

  const badId = (file: string, shown: string) => () => {
    expectFailure(build, file, { headers: [at(file, 10, `id: expected an id: lowercase letters, digits and hyphens (got ${shown})`)], codes: ['InvalidField'] })
    expectContractKept(build)
  }
  it('id-parent-traversal.md: id ../evil is refused', badId('id-parent-traversal.md', '"../evil"'))
  it('id-absolute-path.md: id /tmp/sheets-hostile-evil is refused', badId('id-absolute-path.md', '"/tmp/sheets-hostile-evil"'))
  it('id-with-slash.md: id a/b is refused', () => {
    badId('id-with-slash.md', '"a/b"')()
    expect(existsSync(path.join(build.project.out, 'a'))).toBe(false)
  })
  it('id-dotdot.md: id .. is refused', badId('id-dotdot.md', '".."'))
  it('id-windows-device-con.md: id CON is refused', badId('id-windows-device-con.md', '"CON"'))
  it('id-very-long.md: an id of 300 characters is refused', () => {
    const file = 'id-very-long.md'
    expectFailure(build, file, { headers: [new RegExp(`^${escapeRegExp(at(file, 10, 'id: '))}`, 'm')], codes: ['InvalidField'] })
    expect(readdirSync(build.project.out).some((name) => name.startsWith('aaaa'))).toBe(false)
    expectContractKept(build)
  })
  it('id-control-characters.md: an id with escape sequences is refused, and the message shows them escaped', () => {
    badId('id-control-characters.md', '"evil\\u001b[2J\\u001b]0;pwned\\u0007\\r\\nx"')()
    const block = errorsFor(build.result.stderr, 'id-control-characters.md')[0]
    expect(block.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
  })
  it('Filename-Not-An-Id.md: a file name that is not an id is refused, naming the field id', () => {
    const file = 'Filename-Not-An-Id.md'
    expectFailure(build, file, {
      headers: [at(file, 1, 'id: the file name gives the id "Filename-Not-An-Id", which is not lowercase letters, digits and hyphens')],
      codes: ['InvalidField'],
    })
    expect(readdirSync(build.project.out).some((name) => name.startsWith('Filename'))).toBe(false)
    expectContractKept(build)
  })
  it('theme-template-traversal.md: theme, template and programme are keys, never paths', () => {
    const file = 'theme-template-traversal.md'
    expectFailure(build, file, {
      headers: [
        at(file, 4, 'programme: expected a programme key: lowercase letters, digits and hyphens (got "../../secret")'),
        at(file, 11, 'template: expected a template name: lowercase letters, digits and hyphens (got "../../../../etc/passwd")'),
        at(file, 12, 'theme: expected a theme name: lowercase letters, digits and hyphens (got "../../../etc")'),
      ],
      codes: ['InvalidField'],
    })
    expectContractKept(build)
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Builds of their own.
// ---------------------------------------------------------------------------------------------------------------

describe('a sheet whose layout never finishes', () => {
  let build: Build
  beforeAll(async () => {
    build = await hostileBuild(['layout-huge-table.md', 'layout-deep-nesting.md'], ['--force', '--html', '--timeout', '5'])
  }, 120_000)
  afterAll(() => dispose(build))

  it('layout-huge-table.md: a 200,000-cell table fails after --timeout 5 (or at the page limit), and the other sheets are built', () => {
    const file = 'layout-huge-table.md'
    expectFailure(build, file, {
      headers: [
        /^content\/layout-huge-table\.md(:\d+)?:? (the sheet did not finish printing within 5\.0 s|the sheet runs to \d+ pages, more than (the limit of 20|the theme's budget of 2, even at the tightest step of its fit ladder))$/m,
      ],
      codes: ['RenderTimeout', 'RenderFailed'],
    })
    // The good sheets printed alongside it (--force) were built, not failed and kept stale.
    expect(build.result.stdout).not.toMatch(/Failed: .*content\/good-/)
    expectContractKept(build)
  })
  it('layout-deep-nesting.md: thousands of nested quotes, lists and tables build, or fail with a clear error', async () => {
    const file = 'layout-deep-nesting.md'
    const errors = errorsFor(build.result.stderr, file)
    if (errors.length > 0) {
      expectFailure(build, file, {
        headers: [
          /^content\/layout-deep-nesting\.md(:\d+)?:? (the sheet did not finish printing within 5\.0 s|the sheet runs to \d+ pages, more than (the limit of 20|the theme's budget of 2, even at the tightest step of its fit ladder))$/m,
        ],
        codes: ['RenderTimeout', 'RenderFailed'],
      })
    } else {
      const { text } = await expectBuilt(build, file)
      expect(text).toContain('Deeply nested lists and quotes')
    }
    expect(build.result.code).toBe(1) // the huge table failed
    expectContractKept(build)
  })
})

describe('front matter that overflows the YAML parser', () => {
  let build: Build
  beforeAll(async () => {
    build = await hostileBuild(['yaml-deep-nesting.md'], ['--force', '--html'])
  }, 120_000)
  afterAll(() => dispose(build))

  it('yaml-deep-nesting.md: 5,000 nested flow sequences fail with file and line, and the other records are still built', () => {
    const file = 'yaml-deep-nesting.md'
    expectFailure(build, file, { headers: [/^content\/yaml-deep-nesting\.md:\d+ /m], codes: ['FrontMatterSyntax'] })
    expect(build.result.stdout).toMatch(/^Built 2 sheets, 1 failed, /m)
    expectContractKept(build)
  })
})

describe('a record that claims the id of another record', () => {
  let build: Build
  beforeAll(async () => {
    // dup-id-claims-good-a.md sorts before good-a.md.
    build = await hostileBuild(['dup-id-claims-good-a.md'], ['--force', '--html'])
  }, 120_000)
  afterAll(() => dispose(build))

  it('dup-id-claims-good-a.md: the impostor fails with DuplicateId, and good-a keeps its record and its PDF', () => {
    const file = 'dup-id-claims-good-a.md'
    expectContractKept(build)
    expect(build.texts.get('good-a.pdf') ?? '').not.toContain('Impostor')
    expectFailure(build, file, {
      headers: [/^content\/dup-id-claims-good-a\.md:10 id: the id "good-a" is already used by content\/good-a\.md$/m],
      codes: ['DuplicateId'],
      id: 'good-a',
    })
    expect(errorsFor(build.result.stderr, 'good-a.md')).toEqual([])
  })
})

describe('a symbolic link in the content folder to a file outside it', () => {
  let build: Build
  beforeAll(async () => {
    build = await hostileBuild(['img-symlink-outside.md'], ['--force', '--html'], { symlinks: true })
  }, 120_000)
  afterAll(() => dispose(build))

  it('img-symlink-outside.md: an image that links to a secret or /etc/passwd outside the content folder is not inlined', () => {
    const file = 'img-symlink-outside.md'
    const html = build.html.get('img-symlink-outside.html') ?? ''
    const errors = errorsFor(build.result.stderr, file)
    // Either the record is refused, or it is built without the linked files; never with their content.
    if (errors.length > 0) expectFailure(build, file, { headers: [/^content\/img-symlink-outside\.md:\d+ /m], codes: ['InvalidField'] })
    else expect(build.result.code, build.result.stderr).toBe(0)
    expectContractKept(build)
    // README: images are inlined "from the content folder only".
    expect(html.includes(Buffer.from(secretSvg()).toString('base64')), 'the secret SVG inlined into the sheet').toBe(false)
    expect(html.includes(readFileSync('/etc/passwd').toString('base64').slice(0, 200)), '/etc/passwd inlined into the sheet').toBe(false)
  })
})

describe('records that must fail fast', () => {
  it('yaml-billion-laughs.md and record-too-large.md: check refuses both with their line and size, nothing else read', async () => {
    const canary = await startCanary()
    const project = tempProject({ from: null })
    try {
      project.write('content/good-a.md', GOOD('Alpha good project'))
      for (const name of ['yaml-billion-laughs.md', 'record-too-large.md'])
        project.write(`content/${name}`, readFileSync(path.join(FIXTURES, name), 'utf8') + (GROW[name]?.() ?? ''))
      const result = await runCli(['check'], { cwd: project.dir, env: ENV })
      expect(result.code, result.stderr).toBe(1)
      expect(result.stderr).toMatch(/^content\/yaml-billion-laughs\.md:6 front matter repeats YAML aliases/m)
      expect(result.stderr).toMatch(/^content\/record-too-large\.md: record is 2\.\d MB, more than the 2 MB a fact sheet can hold$/m)
      expect(result.stdout).toMatch(/Checked 3 records: 1 valid, 2 with errors/)
      expect(result.stderr).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m)
      expect(canary.hits).toEqual([])
    } finally {
      await canary.close()
      project.remove()
    }
  })
})
