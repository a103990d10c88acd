/** Stage 5: HTML → PDF bytes, printed in locked-down pages of one browser (no scripts, no requests), restarted if it dies. */
import type { Browser, Page } from 'puppeteer-core'
import { isSheetError, SheetError } from '../core/errors.ts'

/** Limits and reporting for one sheet. */
export interface PrintOptions {
  /** Milliseconds a sheet may take to lay out and print before it fails with RenderTimeout. */
  timeoutMs: number
  /** Called with the URL of every request the page made and was refused. */
  onBlocked?: (url: string) => void
}

/** Prints sheets on a pool of pages of one browser. */
export interface Printer {
  print(html: string, options: PrintOptions): Promise<Uint8Array>
  /** Closes the pages and the browser; safe to call twice. */
  close(): Promise<void>
}

/** How a printer gets its browser: launches a local one, or connects to a shared remote one (never closed, only left). */
export interface BrowserSource {
  launch: () => Promise<Browser>
  shared: boolean
}

/** Sheets one page prints before it is replaced by a fresh one, so that memory stays flat over thousands of sheets. */
export const PRINTS_PER_PAGE = 40

/** How many times one build may start a new browser after the last one crashed. */
export const MAX_BROWSER_RESTARTS = 3

/**
 * Opens a printer with up to `size` pages, each with JavaScript off and every request but data: URLs refused.
 * If the browser crashes or is killed, the next sheet starts a new one, and the sheets it was printing are retried once.
 */
export async function openPrinter(source: BrowserSource, size: number): Promise<Printer> {
  const { launch } = source
  let browser = await launch()
  let restarts = 0
  let closed = false
  let idle: LockedPage[] = []
  let open = 0
  const waiting: ((page: LockedPage) => void)[] = []
  let relaunching: Promise<void> | undefined

  const ensureBrowser = async () => {
    if (browser.connected) return
    if (!relaunching) {
      relaunching = (async () => {
        if (closed) throw new SheetError({ code: 'RenderFailed', message: 'the build was stopped' })
        if (++restarts > MAX_BROWSER_RESTARTS)
          throw new SheetError({ code: 'RenderFailed', message: `the browser crashed ${restarts} times; giving up on the remaining sheets` })
        idle = []
        open = 0
        browser = await launch()
      })().finally(() => (relaunching = undefined))
    }
    await relaunching
  }
  const acquire = async (): Promise<LockedPage> => {
    await ensureBrowser()
    const ready = idle.pop()
    if (ready) return ready
    if (open >= size) return new Promise((resolve) => waiting.push(resolve))
    open++
    try {
      return await LockedPage.open(browser)
    } catch (cause) {
      open--
      throw cause
    }
  }
  const release = (page: LockedPage, healthy: boolean) => {
    if (!healthy || page.browser !== browser || page.prints >= PRINTS_PER_PAGE) {
      // A page that failed or timed out may still be busy, and a long-used one holds memory Chromium does not give
      // back: close it (and its renderer process), and let a waiting sheet open a fresh one.
      if (page.browser === browser) open--
      void page.close()
      const next = waiting.shift()
      if (next) acquire().then(next, () => waiting.unshift(next))
      return
    }
    const next = waiting.shift()
    if (next) next(page)
    else idle.push(page)
  }
  const attempt = async (html: string, options: PrintOptions) => {
    const page = await acquire()
    let healthy = false
    try {
      const pdf = await withTimeout(page.print(html, options), options.timeoutMs)
      healthy = true
      return pdf
    } finally {
      release(page, healthy)
    }
  }

  return {
    async print(html, options) {
      try {
        return await attempt(html, options)
      } catch (cause) {
        // A crash is the browser's fault, not the sheet's: print it again on a new browser, once. A timeout may be a
        // neighbour's fault (pages share a renderer): print it again once on a fresh page; a sheet that hangs by
        // itself then fails after twice the timeout.
        const timedOut = isSheetError(cause) && cause.code === 'RenderTimeout'
        if (closed || (browser.connected && !timedOut)) throw cause
        return attempt(html, options)
      }
    },
    async close() {
      if (closed) return
      closed = true
      await Promise.all(idle.splice(0).map((page) => page.close()))
      if (source.shared) {
        await browser.disconnect().catch(() => {})
        return
      }
      await browser.close().catch(() => {})
      browser.process()?.kill('SIGKILL')
    },
  }
}

// --- internal ---

class LockedPage {
  private onBlocked: (url: string) => void = () => {}
  /** Sheets printed on this page so far. */
  prints = 0

  private constructor(
    private readonly page: Page,
    readonly browser: Browser,
  ) {}

  static async open(browser: Browser): Promise<LockedPage> {
    // Pages share the default context and its renderer: separate contexts cost a quarter more per sheet. A sheet
    // stalled by a neighbour whose layout never ends is printed again on a fresh page (see print()).
    const locked = new LockedPage(await browser.newPage(), browser)
    await locked.page.setJavaScriptEnabled(false)
    await locked.page.setRequestInterception(true)
    locked.page.on('request', (request) => {
      const url = request.url()
      // The document arrives through setContent and its fonts and images are data: URLs; nothing else loads.
      if (url.startsWith('data:') || url === 'about:blank') {
        request.continue().catch(() => {})
        return
      }
      locked.onBlocked(url)
      request.abort('blockedbyclient').catch(() => {})
    })
    return locked
  }

  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    this.prints++
    this.onBlocked = options.onBlocked ?? (() => {})
    await this.page.setContent(html, { waitUntil: 'load', timeout: options.timeoutMs })
    return this.page.pdf({ printBackground: true, preferCSSPageSize: true, tagged: true, outline: true, timeout: options.timeoutMs })
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => {})
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new SheetError({
            code: 'RenderTimeout',
            message: `the sheet did not finish printing within ${(ms / 1000).toFixed(1)} s`,
            hint: 'shorten very long tables or lists, or raise --timeout',
          }),
        ),
      ms,
    )
  })
  work.catch(() => {})
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
