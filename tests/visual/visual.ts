/** Visual regression: real PDFs rasterised with poppler, compared page by page with committed baseline PNGs. */
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pixelmatch from 'pixelmatch'
import { PNG } from 'pngjs'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'
import { runCli } from '../helpers/run.ts'

/** One rasterised page: key `${theme}/${id}-p${n}`, which is also its baseline's path without `.png`. */
export type PageImage = { key: string; file: string }

/** pixelmatch's per-pixel threshold, the share of differing pixels a page may have, where to write the diff PNG. */
export type CompareOptions = { threshold?: number; maxDiffRatio?: number; diffFile?: string }

export interface CompareResult {
  changed: boolean
  diffPixels: number
  ratio: number
  /** What a designer reads: "3.1% of pixels differ (7412 px)", "page size 413×585 → 413×600". */
  reason: string
  diffFile?: string
}

export type PageStatus = 'changed' | 'new' | 'removed' | 'unchanged'

export type PageReport = Partial<CompareResult> & { key: string; status: PageStatus; reason: string }

/** failures: every page that fails the check: changed, new (no baseline) or removed (baseline without a page). */
export type CheckResult = { pages: PageReport[]; failures: PageReport[]; report: string }

export const DPI = 50

/** The translations the visual check renders beside the sample records (JEMPAS II in French and Arabic). */
export const LANGUAGE_RECORDS = path.join(ROOT, 'tests', 'fixtures', 'records', 'languages')

/** A scratch project of the sample records and their translations: what the baselines are rendered from. */
export function visualProject(): TempProject {
  const project = tempProject()
  for (const file of readdirSync(LANGUAGE_RECORDS)) copyFileSync(path.join(LANGUAGE_RECORDS, file), path.join(project.content, file))
  return project
}
export const BASELINES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'baselines')

/** Builds the project's records in one theme with the real CLI and rasterises every page of every PDF. */
export async function renderPages(project: { dir: string }, theme: string, options: { only?: string[] } = {}): Promise<PageImage[]> {
  const out = path.join(project.dir, 'visual', theme, 'pdf')
  const png = path.join(project.dir, 'visual', theme, 'png')
  rmSync(path.join(project.dir, 'visual', theme), { recursive: true, force: true })
  mkdirSync(png, { recursive: true })
  const only = options.only?.length ? ['--only', options.only.join(',')] : []
  const result = await runCli(['--theme', theme, '--force', '--out', out, ...only], { cwd: project.dir })
  if (result.code !== 0) throw new Error(`build --theme ${theme} exited ${result.code}:\n${result.stderr}`)
  const pages: PageImage[] = []
  const pdfs = readdirSync(out).filter((name) => name.endsWith('.pdf'))
  for (const pdf of pdfs) {
    const id = pdf.slice(0, -4)
    mkdirSync(path.join(png, id))
    execFileSync('pdftoppm', ['-png', '-r', String(DPI), path.join(out, pdf), path.join(png, id, 'page')])
    // pdftoppm names pages page-1.png, or page-01.png when the PDF has 10 pages or more.
    for (const name of readdirSync(path.join(png, id))) {
      const match = /^page-(\d+)\.png$/.exec(name)
      if (match) pages.push({ key: `${theme}/${id}-p${Number(match[1])}`, file: path.join(png, id, name) })
    }
  }
  return pages.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }))
}

/** A copy of the image on a larger white canvas, so pages of different sizes can still be diffed. */
function padded(image: PNG, width: number, height: number): PNG {
  if (image.width === width && image.height === height) return image
  const canvas = new PNG({ width, height, fill: true })
  canvas.data.fill(255)
  PNG.bitblt(image, canvas, 0, 0, image.width, image.height, 0, 0)
  return canvas
}

/** Compares a new page with its baseline; a different page size is always a change. Baseline first for the diff colours. */
export function compare(actualPng: string, baselinePng: string, options: CompareOptions = {}): CompareResult {
  // Rendering is byte-identical run to run here, so the tolerance is small: about a dozen pixels of an A4 page at 50 dpi,
  // enough to catch a recoloured footer line (~70 px) while ignoring nothing a person would see.
  const { threshold = 0.1, maxDiffRatio = 0.00005, diffFile } = options
  const actual = PNG.sync.read(readFileSync(actualPng))
  const baseline = PNG.sync.read(readFileSync(baselinePng))
  const width = Math.max(actual.width, baseline.width)
  const height = Math.max(actual.height, baseline.height)
  const diff = new PNG({ width, height })
  const diffPixels = pixelmatch(padded(baseline, width, height).data, padded(actual, width, height).data, diff.data, width, height, {
    threshold,
    diffColor: [230, 0, 0],
    diffColorAlt: [0, 90, 255],
  })
  const ratio = diffPixels / (width * height)
  const resized = actual.width !== baseline.width || actual.height !== baseline.height
  const changed = resized || ratio > maxDiffRatio
  const share = `${(ratio * 100).toFixed(ratio < 0.001 ? 3 : 2)}% of pixels differ (${diffPixels} px)`
  const reason = resized ? `page size ${baseline.width}×${baseline.height} → ${actual.width}×${actual.height}; ${share}` : share
  // Rendering is deterministic, so even differences under the threshold are real: they get a diff image too.
  const written = diffFile && (changed || diffPixels > 0)
  if (written) mkdirSync(path.dirname(diffFile), { recursive: true })
  if (written) writeFileSync(diffFile, PNG.sync.write(diff))
  return { changed, diffPixels, ratio, reason, ...(written ? { diffFile } : {}) }
}

/** Baseline keys of these themes (optionally only these record ids), from `<baselines>/<theme>/<id>-p<n>.png`. */
export function baselineKeys(baselines: string, themes: string[], only?: string[]): string[] {
  return themes.flatMap((theme) => {
    const dir = path.join(baselines, theme)
    if (!existsSync(dir)) return []
    return readdirSync(dir)
      .map((name) => /^(.+)-p\d+\.png$/.exec(name))
      .filter((match): match is RegExpExecArray => match !== null && (!only?.length || only.includes(match[1])))
      .map((match) => `${theme}/${match[0].slice(0, -4)}`)
  })
}

/**
 * Compares rendered pages with the baselines of the themes (and records, with `only`) that were rendered, and writes
 * `<reportDir>/index.html` with `baseline/`, `actual/` and `diff/` images beside it for every page that differs.
 */
export function checkPages(
  pages: PageImage[],
  options: { themes: string[]; reportDir: string; baselines?: string; only?: string[]; threshold?: number; maxDiffRatio?: number },
): CheckResult {
  const { reportDir, baselines = BASELINES } = options
  rmSync(reportDir, { recursive: true, force: true })
  mkdirSync(reportDir, { recursive: true })
  const copy = (from: string, folder: string, key: string) => {
    const to = path.join(reportDir, folder, `${key}.png`)
    mkdirSync(path.dirname(to), { recursive: true })
    copyFileSync(from, to)
  }
  const results: PageReport[] = pages.map((page) => {
    const baseline = path.join(baselines, `${page.key}.png`)
    if (!existsSync(baseline)) {
      copy(page.file, 'actual', page.key)
      return { key: page.key, status: 'new', reason: 'new page: no baseline yet' }
    }
    const diffFile = path.join(reportDir, 'diff', `${page.key}.png`)
    const result = compare(page.file, baseline, { threshold: options.threshold, maxDiffRatio: options.maxDiffRatio, diffFile })
    if (result.diffFile) copy(page.file, 'actual', page.key)
    if (result.diffFile) copy(baseline, 'baseline', page.key)
    return { key: page.key, status: result.changed ? 'changed' : 'unchanged', ...result }
  })
  const rendered = new Set(pages.map((page) => page.key))
  for (const key of baselineKeys(baselines, options.themes, options.only).filter((key) => !rendered.has(key))) {
    copy(path.join(baselines, `${key}.png`), 'baseline', key)
    results.push({ key, status: 'removed', reason: 'page no longer exists (the sheet has fewer pages, or the record is gone)' })
  }
  results.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }))
  const report = path.join(reportDir, 'index.html')
  writeFileSync(report, reportHtml(results, options.themes))
  return { pages: results, failures: results.filter((page) => page.status !== 'unchanged'), report }
}

/** Makes the rendered pages the new baselines of these themes and deletes baselines of pages that no longer exist. */
export function updateBaselines(pages: PageImage[], themes: string[], baselines = BASELINES): { written: number; deleted: string[] } {
  const rendered = new Set(pages.map((page) => page.key))
  const deleted = baselineKeys(baselines, themes).filter((key) => !rendered.has(key))
  for (const key of deleted) rmSync(path.join(baselines, `${key}.png`))
  for (const page of pages) {
    mkdirSync(path.join(baselines, path.dirname(page.key)), { recursive: true })
    copyFileSync(page.file, path.join(baselines, `${page.key}.png`))
  }
  return { written: pages.length, deleted }
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** One page's baseline | new | diff, or "none" where a page has no such image. */
function section(page: PageReport, label: string): string {
  const figure = (caption: string, folder: string, has: boolean) =>
    `<figure><figcaption>${caption}</figcaption>${has ? `<a href="${folder}/${escape(page.key)}.png"><img src="${folder}/${escape(page.key)}.png" alt="${caption}"></a>` : '<p class="none">none</p>'}</figure>`
  return `<section class="${page.status}"><h2>${escape(page.key)} <span class="tag">${label}</span></h2><p>${escape(page.reason)}</p><div class="row">
${figure('Baseline', 'baseline', page.status !== 'new')}${figure('New', 'actual', page.status !== 'removed')}${figure('Diff', 'diff', Boolean(page.diffFile))}</div></section>`
}

/** One self-contained page: styles inline, images by relative paths, no scripts. */
function reportHtml(results: PageReport[], themes: string[]): string {
  const failures = results.filter((page) => page.status !== 'unchanged')
  const unchanged = results.filter((page) => page.status === 'unchanged')
  const minor = unchanged.filter((page) => page.diffFile)
  const count = (status: PageStatus) => results.filter((page) => page.status === status).length
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Visual check: ${failures.length} page(s) to review</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2731}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0}
.summary,section>p,.none,ul{color:#526272}.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
section{border:1px solid #c8d3dd;border-radius:6px;padding:12px 16px;margin:0 0 20px}section>p{margin:4px 0 10px}
.tag{font-size:12px;color:#fff;background:#b3261e;border-radius:3px;padding:1px 6px;vertical-align:middle}
.new .tag{background:#00727d}.removed .tag{background:#7a5600}.unchanged .tag{background:#526272}
.row{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}figure{margin:0}figcaption{font-weight:600;margin:0 0 4px}
img{width:100%;border:1px solid #c8d3dd;image-rendering:pixelated}.none{font-style:italic}ul{columns:3}
</style></head><body>
<h1>Visual check of the fact sheets: ${failures.length ? `${failures.length} page(s) to review` : minor.length ? 'nothing over the threshold' : 'no changes'}</h1>
<p class="summary">Themes: ${escape(themes.join(', '))} · ${count('changed')} changed · ${count('new')} new · ${count('removed')} removed · ${unchanged.length} unchanged${minor.length ? ` (${minor.length} with differences under the threshold)` : ''} · rendered at ${DPI} dpi</p>
${failures.length + minor.length ? `<p class="legend">Diff:<span style="background:#e60000"></span>new page lighter here (ink gone, or a lighter colour)<span style="background:#005aff"></span>new page darker here (ink added, or a darker colour)<span style="background:#ffff00"></span>anti-aliasing only (ignored); grey: same</p>` : ''}
${failures.map((page) => section(page, page.status)).join('\n')}
${minor.length ? `<h2>Under the threshold (not failing, but not identical)</h2>\n${minor.map((page) => section(page, 'under threshold')).join('\n')}` : ''}
<h2>Unchanged (${unchanged.length})</h2>
<ul>${unchanged.map((page) => `<li>${escape(page.key)}${page.diffPixels ? ` (${page.diffPixels} px differ)` : ''}</li>`).join('')}</ul>
</body></html>
`
}
