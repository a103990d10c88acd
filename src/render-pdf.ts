/** Stage 5: HTML → PDF bytes, printed in locked-down pages of one shared browser (no scripts, no requests). */
import type { Browser, Page } from 'puppeteer-core'
import { SheetError } from './errors.ts'

/** Limits and reporting for one sheet. */
export interface PrintOptions {
  /** Milliseconds a sheet may take to lay out and print before it fails with RenderTimeout. */
  timeoutMs: number
  /** Called with the URL of every request the page made and was refused. */
  onBlocked?: (url: string) => void
}

/** A pool of prepared pages on one browser; print() borrows one per sheet. */
export interface Printer {
  print(html: string, options: PrintOptions): Promise<Uint8Array>
  close(): Promise<void>
}

/** Creates a printer with up to `size` pages, each with JavaScript off and every request but data: URLs refused. */
export function createPrinter(browser: Browser, size: number): Printer {
  const idle: LockedPage[] = []
  const waiting: ((page: LockedPage) => void)[] = []
  let open = 0

  const acquire = async (): Promise<LockedPage> => {
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
    if (!healthy) {
      // A page that failed or timed out may still be busy: close it and let the next sheet open a fresh one.
      open--
      void page.close()
      const next = waiting.shift()
      if (next) acquire().then(next, () => waiting.unshift(next))
      return
    }
    const next = waiting.shift()
    if (next) next(page)
    else idle.push(page)
  }

  return {
    async print(html, options) {
      const page = await acquire()
      let healthy = false
      try {
        const pdf = await withTimeout(page.print(html, options), options.timeoutMs)
        healthy = true
        return pdf
      } finally {
        release(page, healthy)
      }
    },
    async close() {
      await Promise.all(idle.splice(0).map((page) => page.close()))
    },
  }
}

// --- internal ---

class LockedPage {
  private onBlocked: (url: string) => void = () => {}

  private constructor(private readonly page: Page) {}

  static async open(browser: Browser): Promise<LockedPage> {
    const locked = new LockedPage(await browser.newPage())
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
      () => reject(new SheetError({ code: 'RenderTimeout', message: `the sheet did not finish printing within ${(ms / 1000).toFixed(1)} s`, hint: 'shorten very long tables or lists, or raise --timeout' })),
      ms,
    )
  })
  work.catch(() => {})
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
