/** The live preview's HTML: the index of records, a sheet's pages, the error overlay, and the small script that updates them. */
import { escapeHtml } from '../sheet/render-html.ts'

/** One problem as the overlay and the index show it: header `file:line field: message`, code frame, hint line. */
export interface PageProblem {
  header: string
  /** The lines of the file around the problem, `> 9 | currency: EURO` marking its line; empty when unknown. */
  frame: string
  /** "hint: ...   [Code]". */
  hint: string
  /** For internal errors only: the stack trace. */
  stack?: string
}

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
    const problems = row.problems.map(
      (problem) => `<div class="problem"><code>${escapeHtml(problem.header)}</code><span>${escapeHtml(problem.hint)}</span></div>`,
    )
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
${problem.frame ? `<pre class="frame">${escapeHtml(problem.frame)}</pre>` : ''}${problem.hint ? `<p class="hint">${escapeHtml(problem.hint)}</p>` : ''}
${problem.stack ? `<pre class="stack">${escapeHtml(problem.stack)}</pre>` : ''}</section>`,
  )
  return `<div class="overlay" role="alert"><div class="panel"><h1>${escapeHtml(title)}</h1>${blocks.join('\n')}
<p class="foot">Fix the file and save: this page updates by itself.</p></div></div>`
}

function document(title: string, version: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${NONCE}">${STYLE}</style>
</head>
<body>
${APP_START}<div id="app" data-version="${escapeHtml(version)}" data-title="${escapeHtml(title)}">
${body}
</div>${APP_END}
<script nonce="${NONCE}">${SCRIPT}</script>
</body>
</html>
`
}

/**
 * Listens to /events; when the server announces another state it fetches this page's #app again (?part=app), waits
 * for its images, and swaps it in place (no flash, scroll kept). A failed fetch waits for the next announcement (sent on reconnect).
 */
const SCRIPT = `(() => {
  let version = document.getElementById('app').dataset.version, live = false, ticket = 0
  const mark = () => {
    const dot = document.getElementById('live')
    if (dot) { dot.dataset.state = live ? 'on' : 'off'; dot.title = live ? 'Live: updates when a file is saved' : 'Disconnected: retrying…' }
  }
  const refresh = async (target) => {
    if (!target || target === version) return
    const mine = ++ticket
    try {
      const response = await fetch(location.pathname + '?part=app', { cache: 'no-store' })
      const holder = document.createElement('template')
      holder.innerHTML = await response.text()
      const next = holder.content.getElementById('app')
      if (!next) return
      await Promise.all([...next.querySelectorAll('img')].map((img) => { const pre = new Image(); pre.src = img.getAttribute('src'); return pre.decode().catch(() => {}) }))
      if (mine !== ticket) return
      version = next.dataset.version || target
      document.title = next.dataset.title || document.title
      document.getElementById('app').replaceWith(next)
      mark()
    } catch (error) { console.warn('preview: update failed, waiting for the next change', error) }
  }
  const events = new EventSource('/events')
  events.addEventListener('version', (event) => refresh(event.data))
  events.onopen = () => { live = true; mark() }
  events.onerror = () => { live = false; mark() }
  mark()
})()`

const STYLE = `
*{box-sizing:border-box}html{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f7f9}body{margin:0}
code,pre{font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}a{color:#0b5cad}
.bar{position:sticky;top:0;z-index:5;display:flex;align-items:center;gap:14px;padding:10px 20px;background:#fff;border-bottom:1px solid #d9dce1;box-shadow:0 1px 3px rgba(0,0,0,.05)}
.bar .brand,.bar .name{font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:0 1 auto;min-width:6em}
.bar .meta{color:#59636e;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;flex:0 100 auto;min-width:0}.bar .back{text-decoration:none;white-space:nowrap}.spacer{flex:1}
.live{width:9px;height:9px;border-radius:50%;background:#b0b6bd;flex:none}.live[data-state=on]{background:#1f9d55;box-shadow:0 0 0 3px rgba(31,157,85,.18)}
.button{background:#0b5cad;color:#fff;text-decoration:none;padding:6px 14px;border-radius:6px;font-weight:600;white-space:nowrap}.button:hover{background:#094a8c}
.bad{color:#c62828}.ok{color:#1f7a45}
.index{padding:24px 20px 48px;max-width:1400px;margin:0 auto}table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #d9dce1;border-radius:8px;overflow:hidden}
th,td{text-align:left;vertical-align:top;padding:10px 12px;border-bottom:1px solid #eceef1}th{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#59636e;background:#fafbfc}
tr:last-child td{border-bottom:0}td.title .id{display:block;margin-top:3px;font-weight:400;color:#59636e}td.file code{white-space:nowrap}td.problems{width:50%}td.title{font-weight:600;min-width:240px}tr.failing td.title a{color:#c62828}td.empty{color:#59636e;text-align:center;padding:32px}
td.status span{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eceef1}td.status .status-completed{background:#e3f1e8;color:#1f6b3a}td.status .status-ongoing{background:#e4eefb;color:#0b4f96}td.status .status-planned{background:#fdf1dc;color:#8a5300}
.problem{margin:0 0 6px}.problem code{display:block;color:#c62828;white-space:pre-wrap;word-break:break-word}.problem span{color:#59636e;font-size:12.5px}
.notes{margin:12px 20px 0;padding:8px 12px 8px 30px;background:#fff8e1;border:1px solid #f0d68a;border-radius:6px;color:#6b5000}
.pages{background:#8a8f96;min-height:calc(100vh - 52px);padding:28px 16px 40px;display:flex;flex-direction:column;align-items:center;gap:26px}
.page{margin:0;display:flex;flex-direction:column;align-items:center;gap:8px}.page img{display:block;max-width:calc(100vw - 32px);height:auto;background:#fff;box-shadow:0 2px 4px rgba(0,0,0,.2),0 10px 28px rgba(0,0,0,.28)}
.page figcaption{color:#f2f3f5;font-size:12.5px;letter-spacing:.02em}.pdf{width:min(100%,900px);height:calc(100vh - 120px);background:#fff}
.missing{padding:48px 20px;text-align:center;color:#59636e}
.overlay{position:fixed;inset:0;z-index:4;background:rgba(32,36,41,.55);overflow:auto;padding:84px 16px 32px}
.panel{max-width:960px;margin:0 auto;background:#fff;border-radius:8px;border-top:5px solid #c62828;box-shadow:0 18px 50px rgba(0,0,0,.35);padding:20px 24px}
.panel h1{font-size:17px;margin:0 0 14px}.error{margin:0 0 18px}.error .header{margin:0 0 6px;font:600 13.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#c62828;word-break:break-word}
.error pre{margin:0;padding:10px 12px;background:#f6f7f9;border:1px solid #eceef1;border-radius:6px;overflow:auto}.error .stack{color:#59636e;margin-top:6px}
.error .hint{margin:6px 0 0;color:#3d444d}.panel .foot{margin:8px 0 0;color:#59636e;font-size:12.5px}
`
