/** The donor catalogue of an output folder: out/index.html (a filterable list of every sheet) and out/sheets.csv. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from '../core/files.ts'
import { fold, languageName, minorToDecimal, textDirection } from '../core/format.ts'
import { escapeHtml, htmlPage } from '../core/html.ts'
import { STATUSES } from '../record/schema.ts'
import type { SheetFacts } from '../sheet/model.ts'
import type { Manifest, ManifestEntry } from './manifest.ts'

/** Options of the catalogue page. */
export interface CatalogueOptions {
  /** The page's heading and window title; default "Project fact sheets". */
  title?: string
  /** When the catalogue was made, printed under the heading. */
  generated: Date
}

/**
 * out/index.html: one self-contained page (inline CSS and script, system fonts, nothing fetched) listing every sheet
 * with its key facts, sorted by title, with a filter box (case- and accent-insensitive, over every fact), status
 * filters and a count of the rows shown. Record text is escaped; each title links to its PDF, `<id>.pdf`, next to it.
 */
export function renderCatalogue(manifest: Manifest, options: CatalogueOptions): string {
  return catalogueBytes(catalogueSheets(manifest), options).toString('utf8')
}

/**
 * out/sheets.csv: one row per sheet (sorted by title) under a header row, RFC 4180 (CRLF, quoted where needed), UTF-8
 * with a byte order mark so that spreadsheet programs read accents. Lists are joined with "; "; each currency found in
 * any sheet gets a total_<CODE> column with the exact total as a plain decimal (395711.90); pdf is relative to the CSV.
 */
export function renderCsv(manifest: Manifest): string {
  return csvBytes(catalogueSheets(manifest)).toString('utf8')
}

/**
 * Renders the catalogue's and the CSV's row of a sheet ahead of writing them (see prepareIndexes()), the CSV's for the
 * currency columns of `sheets`, the sheets it is one of.
 */
export function prepareCatalogueRows(sheets: readonly ManifestEntry[]): (sheet: ManifestEntry) => void {
  const currencies = currencyColumns(sheets)
  return (sheet) => {
    if (!sheet.facts) return
    catalogueRow(sheet)
    csvRow(sheet, currencies)
  }
}

/**
 * Writes out/index.html and out/sheets.csv for a manifest, each atomically. With `keepListed`, a catalogue that would
 * list no sheet does not replace the one there (#13: a build in which every record failed keeps the last good one);
 * returns false when the old files were kept.
 */
export async function writeCatalogue(outDir: string, manifest: Manifest, generated: Date, options: { keepListed?: boolean } = {}): Promise<boolean> {
  const index = path.join(outDir, 'index.html')
  const sheets = catalogueSheets(manifest)
  if (options.keepListed && sheets.length === 0 && existsSync(index)) return false
  await Promise.all([writeFileAtomic(index, catalogueBytes(sheets, { generated })), writeFileAtomic(path.join(outDir, 'sheets.csv'), csvBytes(sheets))])
  return true
}

// --- internal ---

/**
 * The catalogue page of these sheets (see catalogueSheets()) in UTF-8, joined from its rows as rendered ahead (see
 * prepareCatalogueRows()): at a thousand sheets, 1.5 MB that would otherwise be joined and encoded after the last sheet.
 */
function catalogueBytes(sheets: readonly ManifestEntry[], options: CatalogueOptions): Buffer {
  const title = options.title ?? 'Project fact sheets'
  const total = sheets.length
  const statuses = STATUSES.filter((status) => sheets.some((sheet) => sheet.facts.status === status))
  const generated = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(options.generated)
  const languages = [...new Set(sheets.map((sheet) => sheet.facts.lang))].sort()
  const radio = (value: string, label: string, count: number) =>
    `<label><input type="radio" name="status" value="${value}"${value ? '' : ' checked'}> ${escapeHtml(label)} <span class="n">${count}</span></label>`
  const body = `<header><h1>${escapeHtml(title)}</h1>
<p class="meta">${total} ${total === 1 ? 'project' : 'projects'} · generated <time datetime="${options.generated.toISOString()}">${generated}</time> · <a href="sheets.csv" download>Download as CSV</a></p></header>
<main>
<form class="controls" id="controls" role="search" hidden>
<div class="field"><label for="filter">Filter projects</label>
<input type="search" id="filter" placeholder="Country, fund, implementer, title…" autocomplete="off" spellcheck="false"></div>
<fieldset class="seg"><legend>Status</legend>${radio('', 'All', total)}${statuses.map((s) => radio(s, cap(s), sheets.filter((sheet) => sheet.facts.status === s).length)).join('')}</fieldset>
${languages.length > 1 ? `<div class="field lang"><label for="lang">Language</label><select id="lang" name="lang"><option value="">All languages</option>${languages.map((lang) => `<option value="${escapeHtml(lang)}">${escapeHtml(languageName(lang))} (${sheets.filter((sheet) => sheet.facts.lang === lang).length})</option>`).join('')}</select></div>` : ''}
</form>
<p id="count" class="count" role="status" aria-live="polite">${total} of ${total} ${total === 1 ? 'project' : 'projects'}</p>
<table>
<caption class="visually-hidden">${escapeHtml(title)}: key facts of every project, sorted by title</caption>
<thead><tr><th scope="col">Project</th><th scope="col">Status</th><th scope="col">Countries</th><th scope="col">Time frame</th><th scope="col" class="num">Budget</th><th scope="col">Funds</th><th scope="col">Implementer</th><th scope="col">Language</th><th scope="col" class="num">Pages</th></tr></thead>
<tbody>
${ROWS}
</tbody>
</table>
<p id="none" class="none" hidden>No project matches. Clear the filter to see all projects.</p>
</main>`
  // Everything else on the page is escaped or the module's own: the mark, which starts with "<", is found once.
  const page = htmlPage(body, { lang: 'en', title, css: CSS, viewport: true, csp: CATALOGUE_CSP, script: SCRIPT })
  const at = page.indexOf(ROWS)
  const parts: Buffer[] = [Buffer.from(page.slice(0, at))]
  sheets.forEach((sheet, i) => parts.push(...(i > 0 ? [NEWLINE] : []), catalogueRow(sheet)))
  parts.push(Buffer.from(page.slice(at + ROWS.length)))
  return Buffer.concat(parts)
}

const ROWS = '<!--rows-->'
const NEWLINE = Buffer.from('\n')

/** out/sheets.csv in UTF-8, joined from its rows as rendered ahead for the same currency columns. */
function csvBytes(sheets: readonly ManifestEntry[]): Buffer {
  const currencies = currencyColumns(sheets)
  const header = [...CSV_COLUMNS, ...currencies.map((currency) => `total_${currency}`), 'pages', 'pdf']
  return Buffer.concat([Buffer.from(`\uFEFF${header.map(csvField).join(',')}\r\n`), ...sheets.map((sheet) => csvRow(sheet, currencies))])
}

const CATALOGUE_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
const CSV_COLUMNS = ['id', 'title', 'subtitle', 'status', 'programme', 'implementer', 'beneficiary', 'countries', 'start', 'end', 'period', 'funds', 'lang']
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })

/** The sheets that have facts (a manifest from an older version may lack them), sorted by title, then id. */
function catalogueSheets(manifest: Manifest): ManifestEntry[] {
  return manifest.sheets.filter((sheet) => sheet.facts).sort((a, b) => collator.compare(a.facts.title, b.facts.title) || (a.id < b.id ? -1 : 1))
}

/**
 * One CSV field. Formula injection: a spreadsheet runs a cell that starts with =, +, - or @ (and tab or CR can smuggle
 * one in), so such a field gets a leading apostrophe and is shown as text. Then RFC 4180: a field holding a comma,
 * quote, CR or LF is put in quotes, with its quotes doubled.
 */
function csvField(value: string | null): string {
  let text = value ?? ''
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows rendered, in UTF-8, by manifest entry (entries are not changed once made: a build makes new ones). */
const rendered = new WeakMap<ManifestEntry, Buffer>()
/** CSV rows, with the currency columns they were rendered for. */
const csvRendered = new WeakMap<ManifestEntry, { columns: string; row: Buffer }>()

/** A sheet's row of the catalogue's table. */
function catalogueRow(sheet: ManifestEntry): Buffer {
  let row = rendered.get(sheet)
  if (row !== undefined) return row
  const { id, pages, facts } = sheet
  const cell = (label: string, html: string, extra = '') => `<td data-label="${label}"${extra}>${html}</td>`
  const list = (items: string[]) => items.map((item) => `<span class="item">${escapeHtml(item)}</span>`).join('')
  const text = [
    `<tr data-status="${escapeHtml(facts.status)}" data-lang="${escapeHtml(facts.lang)}" data-search="${escapeHtml(fold(searchText(id, facts)))}"${facts.lang === 'en' ? '' : ` lang="${escapeHtml(facts.lang)}"${textDirection(facts.lang) === 'rtl' ? ' dir="rtl"' : ''}`}>`,
    `<th scope="row" data-label="Project"><a href="${escapeHtml(encodeURIComponent(id))}.pdf">${escapeHtml(facts.title)}</a>`,
    facts.subtitle ? `<span class="sub">${escapeHtml(facts.subtitle)}</span>` : '',
    `</th>`,
    cell('Status', `<span class="badge ${escapeHtml(facts.status)}">${escapeHtml(facts.statusLabel)}</span>`),
    cell('Countries', escapeHtml(facts.countries.join(', ')), ' class="countries"'),
    cell('Time frame', escapeHtml(facts.period.replace(/(\p{L}+) (\d{4})/gu, '$1\u00a0$2'))),
    cell('Budget', list(facts.totals.map((total) => total.amount)), ' class="list num"'),
    cell('Funds', list(facts.funds), ' class="list funds"'),
    cell('Implementer', escapeHtml(facts.implementer)),
    cell('Language', `<span lang="en" dir="ltr">${escapeHtml(languageName(facts.lang))}</span>`),
    cell('Pages', String(pages), ' class="num"'),
    `</tr>`,
  ].join('')
  row = Buffer.from(text)
  rendered.set(sheet, row)
  return row
}

/** The currencies of these sheets' totals, sorted: one total_<CODE> column each. */
function currencyColumns(sheets: readonly ManifestEntry[]): string[] {
  return [...new Set(sheets.flatMap((sheet) => sheet.facts?.totals.map((total) => total.currency) ?? []))].sort()
}

/** A sheet's CSV row (CRLF ended) for these currency columns: its total in each currency it has, the others empty. */
function csvRow(sheet: ManifestEntry, currencies: readonly string[]): Buffer {
  const columns = currencies.join(',')
  const known = csvRendered.get(sheet)
  if (known?.columns === columns) return known.row
  const { id, pages, facts } = sheet
  const fields = [id, facts.title, facts.subtitle, facts.status, facts.programme, facts.implementer, facts.beneficiary]
  const head = [...fields, facts.countries.join('; '), facts.start, facts.end, facts.period, facts.funds.join('; '), facts.lang].map(csvField).join(',')
  const totals = new Map<string, string>()
  for (const total of facts.totals) if (!totals.has(total.currency)) totals.set(total.currency, csvField(minorToDecimal(total.minor, total.currency)))
  const tail = [String(pages), `${id}.pdf`].map(csvField).join(',')
  const row = Buffer.from(`${[head, ...currencies.map((currency) => totals.get(currency) ?? ''), tail].join(',')}\r\n`)
  csvRendered.set(sheet, { columns, row })
  return row
}

/** Every fact of a sheet, for the filter box. */
function searchText(id: string, facts: SheetFacts): string {
  const { title, subtitle, status, statusLabel, programme, implementer, beneficiary, period, start, end } = facts
  const lists = [...facts.countries, ...facts.funds, ...facts.totals.map((total) => total.amount)]
  return [id, title, subtitle, status, statusLabel, programme, implementer, beneficiary, period, start, end, ...lists].filter(Boolean).join(' \u00b7 ')
}

const cap = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)

const SCRIPT = `
const fold = (t) => t.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').replace(/[\\u2018\\u2019]/g, "'").toLowerCase();
const form = document.getElementById('controls'), filter = document.getElementById('filter');
const rows = [...document.querySelectorAll('tbody tr')], count = document.getElementById('count');
form.hidden = false;
form.addEventListener('submit', (e) => e.preventDefault());
function update() {
  const words = fold(filter.value).split(/\\s+/).filter(Boolean), status = form.elements.status.value, lang = form.elements.lang ? form.elements.lang.value : '';
  let shown = 0;
  for (const row of rows) {
    const show = (!status || row.dataset.status === status) && (!lang || row.dataset.lang === lang) && words.every((w) => row.dataset.search.includes(w));
    row.hidden = !show; if (show) shown++;
  }
  count.textContent = shown + ' of ' + rows.length + (rows.length === 1 ? ' project' : ' projects');
  document.getElementById('none').hidden = shown > 0;
}
filter.addEventListener('input', update); form.addEventListener('change', update); update();
`

const CSS = `
:root{--ink:#1d2731;--muted:#526272;--primary:#123a63;--accent:#00727d;--rule:#d5dde5;--panel:#f4f7fa;color-scheme:light}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;color:var(--ink);background:#fff}
header{background:var(--primary);color:#fff;padding:28px max(24px,calc((100% - 1400px)/2))}
h1{margin:0;font-size:1.7rem;font-weight:650;letter-spacing:-.01em}.meta{margin:6px 0 0;color:#d7e3ef}.meta a{color:#fff}
main{padding:20px max(24px,calc((100% - 1400px)/2)) 48px}
.controls{display:flex;flex-wrap:wrap;gap:16px 28px;align-items:flex-end}
.field{flex:1 1 320px;max-width:520px}
label[for=filter],legend{display:block;font-weight:600;font-size:.85rem;color:var(--muted);margin-bottom:6px;padding:0}
input[type=search]{width:100%;font:inherit;padding:9px 12px;border:1px solid #9aa8b6;border-radius:6px}input[type=search]:focus{outline:3px solid #7fb3d9;outline-offset:1px}
.seg{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap}.seg legend{width:100%}
.seg label{position:relative;display:inline-flex;gap:6px;align-items:center;padding:8px 14px;border:1px solid #9aa8b6;margin-left:-1px;cursor:pointer;background:#fff}
.seg label:first-of-type{border-radius:6px 0 0 6px;margin-left:0}.seg label:last-of-type{border-radius:0 6px 6px 0}
.seg input{position:absolute;opacity:0}.seg label:has(input:checked){background:var(--primary);border-color:var(--primary);color:#fff;z-index:1}.seg label:has(input:focus-visible){outline:3px solid #7fb3d9;z-index:2}.n{font-size:.8em;opacity:.75}
select{font:inherit;padding:8px 10px;border:1px solid #9aa8b6;border-radius:6px;background:#fff}.field.lang{flex:0 1 220px}
.count{margin:18px 0 8px;color:var(--muted);font-weight:600}
table{width:100%;border-collapse:collapse}thead th{text-align:left;font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);padding:8px 10px;border-bottom:2px solid var(--primary);white-space:nowrap}
td,tbody th{padding:12px 10px;border-bottom:1px solid var(--rule);vertical-align:top;text-align:left;font-weight:400}
tbody tr:hover{background:var(--panel)}tbody th{min-width:260px;max-width:420px}
tbody th a{color:var(--primary);font-weight:650;text-decoration-thickness:1px;text-underline-offset:2px}
.sub{display:block;color:var(--muted);font-size:.88rem;margin-top:3px}
.list .item{display:block}td.countries{min-width:170px}td.funds{min-width:120px}.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-size:.8rem;font-weight:600;white-space:nowrap;color:#fff}
.badge.completed{background:#2f6b3a}.badge.ongoing{background:#00727d}.badge.planned{background:#7a5600}.none{padding:24px;text-align:center;color:var(--muted);background:var(--panel);border-radius:6px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:900px){thead{display:none}table,tbody,tr,td,tbody th{display:block}tr{border:1px solid var(--rule);border-radius:8px;margin:0 0 14px;padding:6px 4px}
td,td.num,tbody th{border:0;padding:6px 10px;max-width:none;text-align:left}.seg label{padding:7px 10px}td::before{content:attr(data-label);display:block;font-size:.75rem;text-transform:uppercase;color:var(--muted)}}
`
