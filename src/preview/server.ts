/** The designer's live preview: every sheet as the pages of its real PDF, on 127.0.0.1, updated whenever a file is saved. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ResolvedConfig } from '../config/config.ts'
import { SheetError } from '../core/errors.ts'
import { EventStreams } from './events.ts'
import { previewHandler, type PreviewContext } from './routes.ts'
import { SheetPrinter } from './sheets.ts'
import { PreviewState } from './state.ts'
import { watchFolders } from './watch.ts'

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
  const events = new EventStreams()
  const state = await PreviewState.open(config, printer, { log, onUpdate: (snapshot) => events.announce(snapshot.version) })
  const watcher = watchFolders([config.content, config.templates], () => void state.rescan(), DEBOUNCE_MS)
  const context: PreviewContext = { config, printer, state, events, port: 0 }
  const server = createServer(previewHandler(context))
  const port = options.port ?? DEFAULT_PREVIEW_PORT
  try {
    context.port = await listen(server, port)
  } catch (cause) {
    watcher.close()
    await printer.close()
    throw new SheetError({ code: 'UsageError', message: `the preview cannot listen on 127.0.0.1:${port}: ${(cause as Error).message}`, hint: 'pass another --port' })
  }
  let closing: Promise<void> | undefined
  const close = async () => {
    watcher.close()
    events.close()
    await new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    await state.settled()
    await printer.close()
  }
  return { url: `http://127.0.0.1:${context.port}`, close: () => (closing ??= close()) }
}

// --- internal ---

/** Listens on 127.0.0.1 only; resolves with the port (the one given, or the free one taken for 0). */
function listen(server: Server, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    server.once('error', reject) // after listening, a late error settles nothing and stops nothing
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}
