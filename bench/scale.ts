/** The scale run (--scale N): N generated records, every hundredth made invalid, one measured cold build, checked. */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { generateProject } from './generate.ts'
import { runMeasured, type RunResult } from './proc.ts'

/** The ways a record is made invalid, cycled through in order: each is a mistake a programme officer makes. */
export const BREAKS = ['unknown status', 'date that does not exist', 'unclosed quote', 'tab indent', 'missing title'] as const
export type Break = (typeof BREAKS)[number]

/** Record i (0-based) is invalid when i % 100 === 99: 1% of the records, the same ones at every N. */
export const isBroken = (i: number) => i % 100 === 99

/** What the scale run measured and found. */
export interface ScaleResult {
  n: number
  /** The invalid records, as the CLI names them (content/<id>.md), with how each was broken. */
  invalid: { file: string; kind: Break }[]
  /** Sheets built, from the summary line; PDFs found in out/. */
  built?: number
  pdfs: number
  /** Invalid records named with a line number in an error block. */
  reported: number
  result: RunResult
  problems: string[]
}

/** Rewrites a generated record's Markdown so that it fails validation in the given way. */
export function breakRecord(markdown: string, kind: Break): string {
  const close = markdown.indexOf('\n---', 3)
  const [front, rest] = [markdown.slice(0, close), markdown.slice(close)]
  const title = /^title: .*\n/m.exec(front)?.[0] ?? ''
  switch (kind) {
    case 'unknown status':
      return front.replace(/^status: .*$/m, 'status: suspended') + rest
    case 'date that does not exist':
      return front.replace(/^ {2}start: .*$/m, '  start: 2021-02-30') + rest
    case 'unclosed quote': {
      // Moved last, so that no later quote in the front matter can close it: the YAML ends unterminated.
      const value = title.slice('title: '.length).trimEnd()
      const opened = value.startsWith('"') ? value.slice(0, -1) : `"${value}`
      return `${front.replace(title, '')}\ntitle: ${opened}${rest}`
    }
    case 'tab indent':
      return front.replace(/^implementer:/m, '\timplementer:') + rest
    case 'missing title':
      return front.replace(title, '') + rest
  }
}

/** Generates the project in dir, then breaks every hundredth record; returns the broken ones. */
export async function generateScaleProject(dir: string, n: number): Promise<{ file: string; kind: Break }[]> {
  const files = await generateProject(dir, n)
  const invalid: { file: string; kind: Break }[] = []
  for (let i = 0; i < n; i++) {
    if (!isBroken(i)) continue
    const kind = BREAKS[invalid.length % BREAKS.length]
    await writeFile(files[i], breakRecord(await readFile(files[i], 'utf8'), kind))
    invalid.push({ file: path.relative(dir, files[i]).split(path.sep).join('/'), kind })
  }
  return invalid
}

/** Runs one cold build (`node bin/factsheets.mjs build --force`) of the scale project, measured once `ready` resolves, and checks it. */
export async function benchScale(dir: string, n: number, bin: string, concurrency: number, ready: () => Promise<void>): Promise<ScaleResult> {
  const invalid = await generateScaleProject(dir, n)
  await ready()
  const out = path.join(dir, 'out')
  const args = [bin, 'build', '--force', '--content', 'content', '--out', 'out', '--templates', 'templates', '--concurrency', String(concurrency)]
  const result = await runMeasured(process.execPath, args, { cwd: dir })
  const pdfs = (await readdir(out).catch(() => [] as string[])).filter((name) => name.endsWith('.pdf')).length
  const scale: ScaleResult = { n, invalid, pdfs, reported: 0, result, problems: [] }
  checkScale(scale)
  return scale
}

/** Exit code 1 (records failed) is expected; every valid record built, every invalid one named in an error block. */
function checkScale(scale: ScaleResult): void {
  const { n, invalid, result, problems } = scale
  const expectedCode = invalid.length > 0 ? 1 : 0
  if (result.code !== expectedCode) problems.push(`exit code ${result.code ?? result.signal}, expected ${expectedCode}: ${tail(result.stderr)}`)
  const summary = /^Built (\d+) sheets?\b.*$/m.exec(result.stdout)
  if (!summary) {
    problems.push(`no summary line: ${tail(result.stdout)}`)
    return
  }
  scale.built = Number(summary[1])
  const valid = n - invalid.length
  if (scale.built !== valid) problems.push(`built ${scale.built} sheets, expected ${valid}`)
  if (scale.pdfs !== valid) problems.push(`${scale.pdfs} PDFs in out/, expected ${valid}`)
  const listed = / Failed: (.*?)\.(?: Kept from|$)/.exec(summary[0])?.[1]
  const failed = new Set(listed ? listed.split(', ') : [])
  const expected = new Set(invalid.map(({ file }) => file))
  const wrong = [...failed].filter((file) => !expected.has(file))
  if (wrong.length > 0) problems.push(`valid records reported as failed: ${wrong.slice(0, 5).join(', ')}${wrong.length > 5 ? ', …' : ''}`)
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const missing = invalid.filter(({ file }) => !new RegExp(`^${escape(file)}:\\d+ `, 'm').test(result.stderr) || !failed.has(file))
  scale.reported = invalid.length - missing.length
  if (missing.length > 0) {
    const list = missing.slice(0, 5).map(({ file, kind }) => `${file} (${kind})`)
    problems.push(`${missing.length} invalid records not reported with a line: ${list.join(', ')}${missing.length > 5 ? ', …' : ''}`)
  }
}

/** The scale run as a Markdown table. */
export function scaleTable(scale: ScaleResult, disturbedCores: number): string {
  const r = scale.result
  const built = scale.built ?? 0
  const mark = scale.problems.length > 0 ? ' !' : r.otherCores > disturbedCores ? ' *' : ''
  const kinds = [...new Set(scale.invalid.map(({ kind }) => kind))].join(', ') || 'none'
  return [
    `Scale: one cold build --force of ${scale.n} generated records, every hundredth invalid (${kinds}):`,
    '',
    '| N | invalid | built | reported | wall s | s/sheet | peak PSS MiB | peak RSS MiB | CPU node s | CPU browser s | other load (cores) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${[
      scale.n,
      scale.invalid.length,
      scale.built ?? '–',
      `${scale.reported} / ${scale.invalid.length}`,
      `${r.seconds.toFixed(2)}${mark}`,
      built > 0 ? (r.seconds / built).toFixed(3) : '–',
      r.peakPssMiB.toFixed(0),
      r.peakRssMiB.toFixed(0),
      r.cpu.node.toFixed(1),
      r.cpu.browser.toFixed(1),
      r.otherCores.toFixed(2),
    ].join(' | ')} |`,
  ].join('\n')
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ').slice(0, 500)
}
