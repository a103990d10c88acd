/** The preview's HTTP requests: the index, sheet pages, their PDFs and page images, and /events; GET only, known ids only. */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import type { ResolvedConfig } from '../config/config.ts'
import { describeError } from '../core/error-view.ts'
import type { EventStreams } from './events.ts'
import { appPart, errorPage, fillNonce, indexPage, notFoundPage, pageCsp, sheetPage, type IndexView, type PageProblem } from './page.ts'
import type { RecordState, SheetPrinter, Snapshot } from './sheets.ts'
import type { PreviewState } from './state.ts'

/** What the requests are answered from. */
export interface PreviewContext {
  config: ResolvedConfig
  printer: SheetPrinter
  state: PreviewState
  events: EventStreams
  /** The port the server listens on, for the host check; set once it listens (no request comes before). */
  port: number
}

/** The server's request listener: every request is answered, a failure with the overlay (500), and the server goes on. */
export function previewHandler(context: PreviewContext): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    route(context, request, response).catch((cause) => {
      // Whatever went wrong, this request shows it and the server goes on.
      if (response.headersSent) response.destroy()
      else page(response, 500, errorPage(context.state.snapshot.version, problem(cause, context.config)))
    })
  }
}

// --- internal ---

/** `/sheet/<id>`, `/sheet/<id>.pdf`, `/sheet/<id>/inline.pdf`, `/sheet/<id>/page-<n>.png`: paths only select among known ids. */
const SHEET_PATH = /^\/sheet\/([a-z0-9-]{1,200}(?:\.(?!pdf$)[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)?)(\.pdf|\/inline\.pdf|\/page-(\d{1,4})\.png)?$/

async function route(context: PreviewContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'Only GET is allowed.\n', { Allow: 'GET' })
  // DNS rebinding: a page on another site that resolves its own name to 127.0.0.1 gets nothing.
  const { port } = context
  if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) return send(response, 403, 'text/plain', 'Wrong host.\n')
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  const current = context.state.snapshot
  if (url.pathname === '/') return page(response, 200, indexPage(indexView(current, context.config)), url)
  if (url.pathname === '/events') return context.events.open(request, response, current.version)
  if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain', '')
  // Nothing in a URL ever names a file.
  const match = SHEET_PATH.exec(url.pathname)
  const state = match ? current.byId.get(match[1]) : undefined
  if (!match || !state)
    return page(response, 404, notFoundPage(current.version, match ? `There is no record with the id "${match[1]}".` : 'There is nothing here.'), url)
  if (!match[2]) return page(response, 200, await sheetHtml(context, state, current), url)
  return sheetFile(context, response, { state, current, url, kind: match[2], page: match[3] })
}

/** The sheet's PDF (download or inline) or one page image; 409 when the sheet cannot be built now. */
async function sheetFile(
  context: PreviewContext,
  response: ServerResponse,
  asked: { state: RecordState; current: Snapshot; url: URL; kind: string; page: string | undefined },
): Promise<void> {
  const { state, current } = asked
  const built = current.errors.length === 0 && state.errors.length === 0 ? await context.printer.sheet(state, current) : undefined
  if (!built?.pdf) return send(response, 409, 'text/plain; charset=utf-8', `${state.file} cannot be built now: open /sheet/${state.id} to see why.\n`)
  // A URL naming the current inputs may be cached; any other is answered with what is current, and not cached.
  const cache = asked.url.searchParams.get('v') === built.key.slice(0, 16) ? 'private, max-age=3600' : 'no-store'
  if (asked.page === undefined) {
    const disposition = asked.kind === '.pdf' ? 'attachment' : 'inline'
    return send(response, 200, 'application/pdf', built.pdf, { 'Content-Disposition': `${disposition}; filename="${state.id}.pdf"`, 'Cache-Control': cache })
  }
  const image = built.images[Number(asked.page) - 1]
  if (!image) return send(response, 404, 'text/plain', 'No such page.\n')
  return send(response, 200, 'image/png', image.png, { 'Cache-Control': cache })
}

/** A sheet's page: its page images (printed now or remembered), the PDF embedded without pdftoppm, or the overlay. */
async function sheetHtml({ printer, config }: PreviewContext, state: RecordState, current: Snapshot): Promise<string> {
  const base = { version: current.version, id: state.id ?? '', title: state.title, file: state.file, status: state.status, theme: state.theme }
  const before = [...current.errors, ...state.errors]
  const built = before.length === 0 ? await printer.sheet(state, current) : undefined
  const problems = [...before, ...(built?.errors ?? [])].map((error) => problem(error, config))
  const warnings = [...new Set([...state.warnings, ...(built?.warnings ?? [])])]
  const v = built?.key.slice(0, 16) ?? ''
  const pages = (built?.images ?? []).map((image, i) => ({ src: `/sheet/${base.id}/page-${i + 1}.png?v=${v}`, width: image.width, height: image.height }))
  const embed = built && problems.length === 0 && pages.length === 0 ? `/sheet/${base.id}/inline.pdf?v=${v}` : undefined
  if (embed && !printer.drawsPages) warnings.push('pdftoppm was not found: install poppler-utils to see the pages as sheets here')
  return sheetPage({ ...base, pageCount: built?.pages ?? 0, pages, embed, problems, warnings })
}

function indexView(current: Snapshot, config: ResolvedConfig): IndexView {
  const rows = current.records.map((state) => ({ ...state, problems: state.errors.map((error) => problem(error, config)) }))
  return {
    version: current.version,
    content: path.relative(config.cwd, config.content) || '.',
    theme: config.theme,
    rows,
    problems: current.errors.map((error) => problem(error, config)),
    warnings: current.warnings,
  }
}

/** Any thrown value as the overlay shows it: the error's own fields, its code frame read from the project. */
function problem(error: unknown, config: ResolvedConfig): PageProblem {
  return describeError(error, config.cwd)
}

/** Sends a preview page with its own nonce; with ?part=app only its #app element, for the page's script to swap in. */
function page(response: ServerResponse, status: number, html: string, url?: URL): void {
  const nonce = randomBytes(16).toString('base64')
  const body = url?.searchParams.get('part') === 'app' ? appPart(html) : fillNonce(html, nonce)
  send(response, status, 'text/html; charset=utf-8', body, { 'Content-Security-Policy': pageCsp(nonce) })
}

function send(response: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...headers,
  })
  response.end(body)
}
