/** The designer's live preview: every sheet as the pages of its real PDF, on 127.0.0.1, updated whenever a file is saved. */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { ResolvedConfig } from '../config/config.ts'
import { isSheetError, SheetError } from '../core/errors.ts'
import { appPart, errorPage, fillNonce, indexPage, notFoundPage, pageCsp, sheetPage, type PageProblem } from './page.ts'
import { scanProject, SheetPrinter, type RecordState, type Snapshot } from './sheets.ts'
import { watchFolders } from './watch.ts'
import { createReporter, errorHeader, formatError } from '../cli/report.ts'

/** Where the preview listens: always 127.0.0.1; port 0 takes any free port. */
export interface PreviewOptions {
  /** Default 4173; 0 for any free port. */
  port?: number
  host?: '127.0.0.1'
  /** Receives a line for each update and for a browser being installed; default: silent. */
  log?: (line: string) => void
}

/** A running preview. */
export interface PreviewServer {
  /** "http://127.0.0.1:PORT" */
  url: string
  /** Closes the file watchers, the event streams, the server and the browser. */
  close(): Promise<void>
}

/** The preview's port when none is given. */
export const DEFAULT_PREVIEW_PORT = 4173

/** Changes closer together than this are one update (an editor's save is often several writes). */
const DEBOUNCE_MS = 100

/**
 * Starts the preview: one browser for its lifetime, every record scanned, the content and templates folders watched.
 * On every change the theme is loaded again, the sheets being viewed are printed again, and open pages are told to
 * update through Server-Sent Events. Throws only when it cannot start (no browser, port taken).
 */
export async function startPreview(config: ResolvedConfig, options: PreviewOptions = {}): Promise<PreviewServer> {
  const log = options.log ?? (() => {})
  const printer = await SheetPrinter.open(config, log)
  const instance = Date.now().toString(36)
  let generation = 0
  const nextVersion = () => `${instance}-${++generation}`
  let snapshot = await scanProject(config, nextVersion())
  const clients = new Set<ServerResponse>()
  const broadcast = () => {
    for (const client of clients) client.write(`event: version\ndata: ${snapshot.version}\n\n`)
  }

  // One scan at a time; changes during a scan make one more scan after it.
  let scanning: Promise<void> | undefined
  let again = false
  const rescan = (): Promise<void> => {
    if (scanning) {
      again = true
      return scanning
    }
    scanning = (async () => {
      do {
        again = false
        try {
          snapshot = await scanProject(config, nextVersion())
          printer.refresh(snapshot)
        } catch (cause) {
          snapshot = { ...snapshot, version: nextVersion(), errors: [cause] }
        }
        const failing = snapshot.records.filter((record) => record.errors.length > 0).length
        log(
          `Updated: ${snapshot.records.length} records${failing ? `, ${failing} with errors` : ''}${snapshot.errors.length ? ', the project has errors' : ''}`,
        )
        broadcast()
      } while (again)
    })().finally(() => (scanning = undefined))
    return scanning
  }
  const watcher = watchFolders([config.content, config.templates], () => void rescan(), DEBOUNCE_MS)

  const problem = (error: unknown) => toProblem(error, config.cwd)
  const sheetHtml = async (state: RecordState, current: Snapshot): Promise<string> => {
    const base = { version: current.version, id: state.id ?? '', title: state.title, file: state.file, status: state.status, theme: state.theme }
    const before = [...current.errors, ...state.errors]
    const built = before.length === 0 ? await printer.sheet(state, current) : undefined
    const problems = [...before, ...(built?.errors ?? [])].map(problem)
    const warnings = [...new Set([...state.warnings, ...(built?.warnings ?? [])])]
    const v = built?.key.slice(0, 16) ?? ''
    const pages = (built?.images ?? []).map((image, i) => ({ src: `/sheet/${base.id}/page-${i + 1}.png?v=${v}`, width: image.width, height: image.height }))
    const embed = built && problems.length === 0 && pages.length === 0 ? `/sheet/${base.id}/inline.pdf?v=${v}` : undefined
    if (embed && !printer.drawsPages) warnings.push('pdftoppm was not found: install poppler-utils to see the pages as sheets here')
    return sheetPage({ ...base, pageCount: built?.pages ?? 0, pages, embed, problems, warnings })
  }

  let port = 0
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET') return send(response, 405, 'text/plain; charset=utf-8', 'Only GET is allowed.\n', { Allow: 'GET' })
    // DNS rebinding: a page on another site that resolves its own name to 127.0.0.1 gets nothing.
    if (request.headers.host !== `127.0.0.1:${port}` && request.headers.host !== `localhost:${port}`) return send(response, 403, 'text/plain', 'Wrong host.\n')
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const current = snapshot
    if (url.pathname === '/') return page(response, 200, indexPage(indexView(current, config)), url)
    if (url.pathname === '/events') return openEvents(request, response, clients, current.version)
    if (url.pathname === '/favicon.ico') return send(response, 204, 'text/plain', '')
    // Paths only select among known ids; nothing in a URL ever names a file.
    const match = /^\/sheet\/([a-z0-9-]{1,200})(\.pdf|\/inline\.pdf|\/page-(\d{1,4})\.png)?$/.exec(url.pathname)
    const state = match ? current.byId.get(match[1]) : undefined
    if (!match || !state)
      return page(response, 404, notFoundPage(current.version, match ? `There is no record with the id "${match[1]}".` : 'There is nothing here.'), url)
    if (!match[2]) return page(response, 200, await sheetHtml(state, current), url)
    const built = current.errors.length === 0 && state.errors.length === 0 ? await printer.sheet(state, current) : undefined
    if (!built?.pdf) return send(response, 409, 'text/plain; charset=utf-8', `${state.file} cannot be built now: open /sheet/${state.id} to see why.\n`)
    // A URL naming the current inputs may be cached; any other is answered with what is current, and not cached.
    const cache = url.searchParams.get('v') === built.key.slice(0, 16) ? 'private, max-age=3600' : 'no-store'
    if (match[3] === undefined) {
      const disposition = match[2] === '.pdf' ? 'attachment' : 'inline'
      return send(response, 200, 'application/pdf', built.pdf, { 'Content-Disposition': `${disposition}; filename="${state.id}.pdf"`, 'Cache-Control': cache })
    }
    const image = built.images[Number(match[3]) - 1]
    if (!image) return send(response, 404, 'text/plain', 'No such page.\n')
    return send(response, 200, 'image/png', image.png, { 'Cache-Control': cache })
  }
  const server = createServer((request, response) => {
    handle(request, response).catch((cause) => {
      // Whatever went wrong, this request shows it and the server goes on.
      if (response.headersSent) response.destroy()
      else page(response, 500, errorPage(snapshot.version, problem(cause)))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? DEFAULT_PREVIEW_PORT, '127.0.0.1', () => resolve())
  }).catch(async (cause) => {
    watcher.close()
    await printer.close()
    throw new SheetError({
      code: 'UsageError',
      message: `the preview cannot listen on 127.0.0.1:${options.port ?? DEFAULT_PREVIEW_PORT}: ${(cause as Error).message}`,
      hint: 'pass another --port',
    })
  })
  port = (server.address() as AddressInfo).port
  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      (closing ??= (async () => {
        watcher.close()
        for (const client of clients) client.end()
        clients.clear()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        await scanning?.catch(() => {})
        await printer.close()
      })()),
  }
}

/** Starts the preview, prints "Preview on http://127.0.0.1:PORT", and runs until SIGINT or SIGTERM, then closes it. */
export async function runPreview(config: ResolvedConfig, options: { port?: number } = {}): Promise<void> {
  const reporter = createReporter({ cwd: config.cwd })
  const preview = await startPreview(config, { port: options.port, log: (line) => reporter.info(line) })
  process.stdout.write(`Preview on ${preview.url}\n`)
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  await preview.close()
}

/** A problem as the overlay shows it: formatError's header, code frame and hint, without colour. */
export function toProblem(error: unknown, cwd: string): PageProblem {
  if (!isSheetError(error)) {
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error)
    return { header: `internal error: ${error instanceof Error ? error.message : String(error)}`, frame: '', hint: 'the preview keeps running', stack }
  }
  // Theme and template files are named relative to the process's folder (theme-tokens rel()); records relative to the
  // project. Name both relative to the project (the same when the preview runs in it, as npm run preview:sheets does).
  const file = error.loc?.file
  const fromTheme = (error.code === 'TemplateError' || error.code === 'ThemeInvalid') && file && !path.isAbsolute(file)
  const moved = fromTheme ? path.relative(cwd, path.resolve(file)) || file : undefined
  const located = moved
    ? new SheetError({ code: error.code, message: error.message, loc: { ...error.loc, file: moved }, field: error.field, hint: error.hint, cause: error })
    : error
  const lines = formatError(located, { cwd, color: false }).split('\n')
  return { header: errorHeader(located), frame: lines.slice(1, -1).join('\n'), hint: lines[lines.length - 1].trim() }
}

// --- internal ---

function indexView(current: Snapshot, config: ResolvedConfig) {
  const rows = current.records.map((state) => ({ ...state, problems: state.errors.map((error) => toProblem(error, config.cwd)) }))
  const content = path.relative(config.cwd, config.content) || '.'
  return {
    version: current.version,
    content,
    theme: config.theme,
    rows,
    problems: current.errors.map((e) => toProblem(e, config.cwd)),
    warnings: current.warnings,
  }
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

/** GET /events: a Server-Sent Events stream; the current version at once, then one event per update. */
function openEvents(request: IncomingMessage, response: ServerResponse, clients: Set<ServerResponse>, version: string): void {
  response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
  response.write(`retry: 500\nevent: version\ndata: ${version}\n\n`)
  clients.add(response)
  const ping = setInterval(() => response.write(': ping\n\n'), 20_000).unref()
  request.on('close', () => {
    clearInterval(ping)
    clients.delete(response)
  })
}
