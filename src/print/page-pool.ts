/** Stage 5: HTML → PDF bytes, printed in a pool of locked-down pages of one browser, restarted if it dies. */
import type { Browser } from 'puppeteer-core'
import { isSheetError, SheetError } from '../core/errors.ts'
import { closeBrowser } from './launch.ts'
import { LockedPage, withTimeout, type PrintOptions } from './locked-page.ts'

export type { PrintOptions } from './locked-page.ts'

/** Prints sheets on a pool of pages of one browser. */
export interface Printer {
  /** Prints one HTML document to PDF bytes; retried once after a browser crash or a timeout. */
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

/**
 * Sheets one browser prints before it is closed and a fresh one started: its pages share one renderer, and the
 * browser and renderer hold memory they do not give back, so a long build would grow. A start costs a fifth of a second.
 */
export const PRINTS_PER_BROWSER = 200

/** How many times one build may start a new browser after the last one crashed. */
export const MAX_BROWSER_RESTARTS = 3

/**
 * Opens a printer with up to `size` pages, each with JavaScript off and every request but data: URLs refused.
 * If the browser crashes or is killed, the next sheet starts a new one, and the sheets it was printing are retried once.
 */
export async function openPrinter(source: BrowserSource, size: number): Promise<Printer> {
  const pool = new PagePool(source, size, await source.launch())
  pool.openAhead()
  return pool
}

// --- internal ---

/** The pages of one browser: idle ones reused, at most `size` open, sheets waiting in order for a free page. */
class PagePool implements Printer {
  private restarts = 0
  private closed = false
  private idle: LockedPage[] = []
  private open = 0
  private readonly waiting: ((page: LockedPage) => void)[] = []
  private relaunching: Promise<void> | undefined
  /** Sheets given to the current browser, and those printing or waiting for a page now. */
  private printed = 0
  private busy = 0
  private retiring: Promise<void> | undefined
  private drained: (() => void) | undefined
  /** The page opened before the first sheet asks for one, until it is ready. */
  private ahead: Promise<void> | undefined
  /** Rejects when the pool is closed, failing what still waits for a page. */
  private readonly stopped: Promise<never>
  private stop: (cause: Error) => void = () => {}

  constructor(
    private readonly source: BrowserSource,
    private readonly size: number,
    private browser: Browser,
  ) {
    this.stopped = new Promise<never>((_, reject) => (this.stop = reject))
    this.stopped.catch(() => {})
  }

  async print(html: string, options: PrintOptions): Promise<Uint8Array> {
    try {
      return await this.attempt(html, options)
    } catch (cause) {
      // A crash is the browser's fault, not the sheet's: print it again on a new browser, once. A timeout may be a
      // neighbour's fault (pages share a renderer): print it again once on a fresh page; a sheet that hangs by
      // itself then fails after twice the timeout.
      const timedOut = isSheetError(cause) && cause.code === 'RenderTimeout'
      if (this.closed || (this.browser.connected && !timedOut)) throw cause
      return this.attempt(html, options)
    }
  }

  /** Opens the first page now, so that it is ready when the first sheet has been rendered. */
  openAhead(): void {
    if (this.open >= this.size) return
    this.open++
    const browser = this.browser
    const ahead = this.openPage(browser)
      .then(
        (page) => (this.closed ? void page.close() : this.release(page, true)),
        () => {
          if (this.browser === browser) this.open--
        },
      )
      .finally(() => {
        if (this.ahead === ahead) this.ahead = undefined
      })
    this.ahead = ahead
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.stop(new SheetError({ code: 'RenderFailed', message: 'the build was stopped' }))
    // The page opened ahead has opened, or failed now that the pool is stopped (see openPage()).
    await this.ahead
    const idle = this.idle.splice(0)
    if (this.source.shared) {
      await Promise.all(idle.map((page) => page.close()))
      await this.browser.disconnect().catch(() => {})
      return
    }
    await closeBrowser(this.browser)
  }

  private async attempt(html: string, options: PrintOptions): Promise<Uint8Array> {
    // A local browser that printed its share is replaced once its pages are done (a shared one is not ours to close).
    while (this.retiring || (this.printed >= PRINTS_PER_BROWSER && !this.source.shared)) {
      this.retiring ??= this.retire().finally(() => (this.retiring = undefined))
      await this.retiring
    }
    this.printed++
    this.busy++
    let page: LockedPage | undefined
    let healthy = false
    try {
      page = await this.acquire()
      const pdf = await withTimeout(page.print(html, options), options.timeoutMs)
      healthy = true
      return pdf
    } finally {
      this.busy--
      if (page) this.release(page, healthy)
      if (this.busy === 0) this.drained?.()
    }
  }

  /** Closes the current browser once none of its pages is in use, then starts the next one. */
  private async retire(): Promise<void> {
    if (this.busy > 0) await new Promise<void>((resolve) => (this.drained = resolve))
    this.drained = undefined
    const old = this.browser
    this.idle = []
    this.open = 0
    await closeBrowser(old)
    this.printed = 0
    if (!this.closed) this.browser = await this.source.launch()
  }

  private async acquire(): Promise<LockedPage> {
    await this.ensureBrowser()
    // The page opened ahead (the browser's start page, whose renderer is running) is ready sooner than a new one would
    // be (two thirds of a tenth of a second): the first sheet waits for it.
    if (this.ahead && this.idle.length === 0) await this.ahead
    const ready = this.idle.pop()
    if (ready) return ready
    if (this.open >= this.size) return Promise.race([new Promise<LockedPage>((resolve) => this.waiting.push(resolve)), this.stopped])
    this.open++
    try {
      return await this.openPage(this.browser)
    } catch (cause) {
      this.open--
      throw cause
    }
  }

  /**
   * Opens a page, or fails once the pool is closed: a page still opening when its browser goes may never be answered,
   * and nothing else would keep the command waiting for it (it would end without finishing its build).
   */
  private openPage(browser: Browser): Promise<LockedPage> {
    return Promise.race([LockedPage.open(browser), this.stopped])
  }

  private release(page: LockedPage, healthy: boolean): void {
    if (!healthy || page.browser !== this.browser || page.prints >= PRINTS_PER_PAGE) {
      // A page that failed or timed out may still be busy, and a long-used one holds memory Chromium does not give
      // back: close it (and its renderer process), and let a waiting sheet open a fresh one.
      if (page.browser === this.browser) this.open--
      void page.close()
      const next = this.waiting.shift()
      if (next) this.acquire().then(next, () => this.waiting.unshift(next))
      return
    }
    const next = this.waiting.shift()
    if (next) next(page)
    else this.idle.push(page)
  }

  /** Starts a new browser when the last one crashed or was killed; concurrent callers share one restart. */
  private async ensureBrowser(): Promise<void> {
    if (this.browser.connected) return
    this.relaunching ??= this.relaunch().finally(() => (this.relaunching = undefined))
    await this.relaunching
  }

  private async relaunch(): Promise<void> {
    if (this.closed) await this.stopped // fails with the error close() gave
    if (++this.restarts > MAX_BROWSER_RESTARTS)
      throw new SheetError({ code: 'BrowserCrashed', message: `the browser crashed ${this.restarts} times; giving up on the remaining sheets` })
    this.idle = []
    this.open = 0
    this.browser = await this.source.launch()
  }
}
