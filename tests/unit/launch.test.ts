import puppeteer from 'puppeteer-core'
import { describe, expect, it } from 'vitest'
import { BROWSER_ARGS, chromiumArgs, isHeadlessShell } from '../../src/print/launch.ts'

describe('the browser command line', () => {
  // The build starts Chromium itself (so that it boots while the command loads) and speaks to it with Puppeteer over
  // the pipe: the command line must stay the one Puppeteer's own launch would give, or the PDFs would change with it.
  it.each([
    ['/usr/lib/chromium/chromium-headless-shell', 'shell' as const],
    ['/usr/bin/chromium', true],
  ])('is what Puppeteer launches for %s, with the protocol on a pipe', (executable, headless) => {
    expect(isHeadlessShell(executable)).toBe(headless === 'shell')
    const expected = [...puppeteer.defaultArgs({ headless, args: [...BROWSER_ARGS], userDataDir: '/tmp/profile' }), '--remote-debugging-pipe']
    expect(chromiumArgs(executable, '/tmp/profile')).toEqual(expected)
  })
})
