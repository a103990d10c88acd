/** The live preview's HTML: the index of records, a sheet's pages, the error overlay, and the small script that updates them. */
import { escapeHtml, htmlPage } from '../core/html.ts'
import type { ErrorView, FrameLine } from '../core/error-view.ts'
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.ts'

/**
 * One problem as the overlay and the index show it (describeError's fields): the header `file:line field: message`,
 * the code frame as lines (the error's line marked), the hint and the code; a stack for internal errors only.
 */
export type PageProblem = ErrorView

/** A record as the index lists it. */
export interface IndexRow {
  /** Undefined when the file name gives no usable id (then there is no sheet page to link). */
  id?: string
  title: string
  status?: string
  file: string
  problems: PageProblem[]
}

/** Everything the index page shows. */
export interface IndexView {
  /** Token of the server state the page shows; the script refreshes the page when the server announces another. */
  version: string
  /** The content folder, as shown to users. */
  content: string
  theme: string
  rows: IndexRow[]
  /** Problems of the whole project (the default theme does not load, no content folder). */
  problems: PageProblem[]
  warnings: string[]
}

/** One page image of a sheet, in CSS pixels at its printed size. */
export interface ShownPage {
  src: string
  width: number
  height: number
}

/** Everything a sheet page shows: its page images (or the PDF embedded), or the overlay with its problems. */
export interface SheetView {
  version: string
  id: string
  title: string
  file: string
  status?: string
  theme?: string
  pageCount: number
  pages: ShownPage[]
  /** Set when pages could not be drawn as images (no pdftoppm): the PDF is shown in an <embed> instead. */
  embed?: string
  problems: PageProblem[]
  warnings: string[]
}

/** The index of every record: id, title, status, file and problems, each linking to its sheet. */
export function indexPage(view: IndexView): string {
  const failing = view.rows.filter((row) => row.problems.length > 0).length
  const rows = view.rows.map((row) => {
    const name = row.id ? `<a href="/sheet/${escapeHtml(row.id)}">${escapeHtml(row.title)}</a>` : escapeHtml(row.title)
    const problems = row.problems.map((problem) => `<div class="problem"><code>${escapeHtml(problem.header)}</code><span>${hintLine(problem)}</span></div>`)
    const ok = view.problems.length ? '—' : '<span class="ok">✓ builds</span>'
    return `<tr${row.problems.length ? ' class="failing"' : ''}><td class="title">${name}<code class="id">${escapeHtml(row.id ?? 'no id')}</code></td>
<td class="status">${row.status ? `<span class="status-${escapeHtml(row.status)}">${escapeHtml(row.status)}</span>` : ''}</td>
<td class="file"><code>${escapeHtml(row.file)}</code></td><td class="problems">${problems.join('') || ok}</td></tr>`
  })
  const summary = `${view.rows.length} record${view.rows.length === 1 ? '' : 's'}${failing ? `, <b class="bad">${failing} with errors</b>` : ''}`
  const body = `${bar(`<span class="brand">Fact sheets</span><span class="meta">${summary} · <code>${escapeHtml(view.content)}</code> · theme <code>${escapeHtml(view.theme)}</code></span>`)}
${view.problems.length ? overlay('The project cannot be built', view.problems) : ''}${notes(view.warnings)}
<main class="index"><table><thead><tr><th>Sheet and id</th><th>Status</th><th>File</th><th>Problems</th></tr></thead>
<tbody>${rows.join('\n') || '<tr><td colspan="4" class="empty">No records yet: add content/&lt;id&gt;.md</td></tr>'}</tbody></table></main>`
  return document('Fact sheets · preview', view.version, body)
}

/** A sheet in its paged print layout (page images, one under another), or the overlay with its problems instead. */
export function sheetPage(view: SheetView): string {
  const facts = [view.id, view.file, view.theme && `theme ${view.theme}`, !view.problems.length && `${view.pageCount} page${view.pageCount === 1 ? '' : 's'}`]
  const download = view.problems.length
    ? ''
    : `<a class="button" href="/sheet/${escapeHtml(view.id)}.pdf" download="${escapeHtml(view.id)}.pdf">Download PDF</a>`
  const head = bar(
    `<a class="back" href="/">← All sheets</a><span class="name">${escapeHtml(view.title)}</span><span class="meta">${facts
      .filter(Boolean)
      .map((fact) => escapeHtml(String(fact)))
      .join(' · ')}</span>`,
    download,
  )
  const pages = view.pages.map(
    (
      page,
      i,
    ) => `<figure class="page"><img src="${escapeHtml(page.src)}" width="${page.width}" height="${page.height}" alt="Page ${i + 1} of ${view.pages.length} of ${escapeHtml(view.title)}">
<figcaption>Page ${i + 1} of ${view.pages.length}</figcaption></figure>`,
  )
  const sheet = view.embed ? `<embed class="pdf" type="application/pdf" src="${escapeHtml(view.embed)}">` : pages.join('\n')
  const body = view.problems.length ? overlay('This sheet cannot be built', view.problems) : `${notes(view.warnings)}<main class="pages">${sheet}</main>`
  return document(`${view.title} · preview`, view.version, `${head}\n${body}`)
}

/** A page for a path that is no sheet (a record removed, a mistyped id): it updates by itself if the record comes back. */
export function notFoundPage(version: string, what: string): string {
  return document('Not found · preview', version, `${bar('<a class="back" href="/">← All sheets</a>')}<main class="missing"><p>${escapeHtml(what)}</p></main>`)
}

/** The page shown when a request itself failed unexpectedly: the overlay with "internal error" and the stack. */
export function errorPage(version: string, problem: PageProblem): string {
  return document('Internal error · preview', version, `${bar('<a class="back" href="/">← All sheets</a>')}${overlay('Internal error', [problem])}`)
}

/** The Content-Security-Policy of every preview page: its own inline script and style (by nonce), same-origin images and events. */
export function pageCsp(nonce: string): string {
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self'; connect-src 'self'; object-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`
}

/** Puts the response's nonce into a page made by this module (pages carry a placeholder until served). */
export function fillNonce(html: string, nonce: string): string {
  return html.split(NONCE).join(nonce)
}

/** Only the #app element of a page made by this module: what the page's script fetches (`?part=app`) to update itself. */
export function appPart(html: string): string {
  return html.slice(html.indexOf(APP_START) + APP_START.length, html.indexOf(APP_END))
}

// --- internal ---

/** Around #app in every page; escaped text can never contain them (see appPart). */
const APP_START = '<!--app-->'
const APP_END = '<!--/app-->'

/** Replaced by the per-response nonce when the page is served (fillNonce); escaped text can never contain it (`<` is escaped). */
const NONCE = '<nonce>'

function bar(left: string, right = ''): string {
  return `<header class="bar">${left}<span class="spacer"></span><span id="live" class="live" data-state="off" title="Connecting…"></span>${right}</header>`
}

function notes(warnings: readonly string[]): string {
  return warnings.length ? `<ul class="notes">${warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('')}</ul>` : ''
}

function overlay(title: string, problems: readonly PageProblem[]): string {
  const blocks = problems.map(
    (problem) => `<section class="error"><p class="header">${escapeHtml(problem.header)}</p>
${frameBlock(problem.frame)}<p class="hint">${hintLine(problem)}</p>
${problem.stack ? `<pre class="stack">${escapeHtml(problem.stack)}</pre>` : ''}</section>`,
  )
  return `<div class="overlay" role="alert"><div class="panel"><h1>${escapeHtml(title)}</h1>${blocks.join('\n')}
<p class="foot">Fix the file and save: this page updates by itself.</p></div></div>`
}

/** The code frame: `> 9 | currency: EURO`, the error's line marked; nothing when there is no frame. */
function frameBlock(frame: readonly FrameLine[]): string {
  if (frame.length === 0) return ''
  const width = String(frame[frame.length - 1].number).length
  const lines = frame.map((line) => {
    const text = escapeHtml(`${line.current ? '>' : ' '} ${String(line.number).padStart(width)} | ${line.text}`)
    return line.current ? `<span class="current">${text}</span>` : text
  })
  return `<pre class="frame">${lines.join('\n')}</pre>`
}

/** `hint: did you mean "EUR"?   [InvalidField]`, escaped; internal errors say that the preview keeps running. */
function hintLine(problem: PageProblem): string {
  const hint = problem.hint ?? (problem.code === 'internal' ? 'the preview keeps running' : undefined)
  return `${hint ? `hint: ${escapeHtml(hint)}   ` : ''}<span class="code">[${escapeHtml(problem.code)}]</span>`
}

function document(title: string, version: string, body: string): string {
  const app = `${APP_START}<div id="app" data-version="${escapeHtml(version)}" data-title="${escapeHtml(title)}">\n${body}\n</div>${APP_END}`
  return htmlPage(app, { lang: 'en', title, css: PAGE_STYLE, viewport: true, script: PAGE_SCRIPT, nonce: NONCE })
}
