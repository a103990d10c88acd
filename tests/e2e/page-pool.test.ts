import { describe, expect, it } from 'vitest'
import type { Browser } from 'puppeteer-core'
import { ensureBrowser, launchBrowser } from '../../src/print/browser.ts'
import { countPages } from '../../src/print/page-count.ts'
import { openPrinter, PRINTS_PER_BROWSER } from '../../src/print/page-pool.ts'

describe('#14 the page pool over a long build', () => {
  it(`replaces its browser every ${PRINTS_PER_BROWSER} sheets, between sheets, and every sheet prints whole`, async () => {
    const { executablePath } = await ensureBrowser(undefined)
    const launched: Browser[] = []
    const source = { shared: false, launch: async () => launched[launched.push(await launchBrowser(executablePath)) - 1] }
    const printer = await openPrinter(source, 2)
    try {
      const total = 2 * PRINTS_PER_BROWSER + 5
      const pdfs = await Promise.all(
        Array.from({ length: total }, (_, i) => printer.print(`<!doctype html><html lang="en"><head><title>${i}</title></head><body><p>Sheet ${i}</p></body></html>`, { timeoutMs: 30_000 })),
      )
      expect(launched).toHaveLength(3)
      // The browsers replaced are gone; the last one prints on.
      expect(launched.map((browser) => browser.connected)).toEqual([false, false, true])
      const pages = await Promise.all(pdfs.map((pdf) => countPages(pdf)))
      expect(pages.every((count) => count === 1)).toBe(true)
      expect(Buffer.from(pdfs[total - 1]).toString('latin1')).toMatch(/^%PDF-/)
    } finally {
      await printer.close()
    }
  }, 180_000)
})

describe('#14 the page pool when the build is stopped', () => {
  it('fails the sheets still waiting for a page when it is closed, so that none waits forever', async () => {
    const { executablePath } = await ensureBrowser(undefined)
    const printer = await openPrinter({ shared: false, launch: () => launchBrowser(executablePath) }, 1)
    const html = (i: number) => `<!doctype html><html lang="en"><head><title>${i}</title></head><body><p>Sheet ${i}</p></body></html>`
    // One page: the second and third sheets wait for it; the pool is closed (a Ctrl-C) while they wait.
    const printing = Promise.allSettled([1, 2, 3].map((i) => printer.print(html(i), { timeoutMs: 30_000 })))
    await printer.close()
    const settled = await printing
    const failed = settled.filter((result) => result.status === 'rejected')
    expect(failed.length).toBeGreaterThan(0)
    for (const result of failed) expect(String((result as PromiseRejectedResult).reason?.message)).toMatch(/stopped|closed|Target|Connection/i)
    expect(settled.every((result) => result.status === 'fulfilled' ? Buffer.from(result.value).toString('latin1').startsWith('%PDF-') : true)).toBe(true)
  }, 60_000)
})
