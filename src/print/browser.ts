/** Launches our browser (or connects to a remote one) and speaks to it with Puppeteer; finding one is find-browser.ts's. */
import type { Readable, Writable } from 'node:stream'
import type { Browser, ConnectOptions, LaunchOptions } from 'puppeteer-core'
// Puppeteer without its launcher: the browser is started by launch.ts, and only connected to. Its Node entry loads the
// launchers and @puppeteer/browsers with it, a fifth of what the command initialises before it reads a record.
import { Puppeteer } from 'puppeteer-core/internal/common/Puppeteer.js'
import { SheetError } from '../core/errors.ts'
import type { ResolvedConfig } from '../config/config.ts'
import { ensureBrowser } from './find-browser.ts'
import { BROWSER_ARGS, hold, isHeadlessShell, PRINTER_ARGS, spawnChromium, trackBrowser, type Spawned } from './launch.ts'
import { PipeTransport } from './pipe-transport.ts'
import type { BrowserSource } from './page-pool.ts'

export { BROWSER_ARGS, PRINTER_ARGS, spawnChromium }
export { BROWSER_ENV, ensureBrowser, findBrowser, type FoundBrowser } from './find-browser.ts'

// The same classes as the package's public types, declared twice over (its internal and its bundled declarations).
const puppeteer = new Puppeteer({ isPuppeteerCore: true }) as unknown as { connect(options: ConnectOptions): Promise<Browser> }

/**
 * Puppeteer's own launch of the browser the build starts itself (spawnChromium(): the same command line, over a pipe,
 * signals left to the caller), for what launches through Puppeteer: the bench's bare loop, a test's shared browser.
 */
export function launchOptions(executablePath: string): LaunchOptions {
  return {
    executablePath,
    // The headless shell (Debian's chromium-headless-shell, Puppeteer's chrome-headless-shell) is headless by itself.
    headless: isHeadlessShell(executablePath) ? 'shell' : true,
    pipe: true,
    args: [...PRINTER_ARGS],
    timeout: 30_000,
    protocolTimeout: 120_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  }
}

/**
 * Where sheets are printed: a remote browser (--browser-ws-endpoint), or a local one found now (throws BrowserNotFound).
 * `_log` is kept for callers that report progress: finding a browser installs nothing, so there is nothing to say.
 */
export async function browserSource(
  config: Pick<ResolvedConfig, 'browser' | 'browserWsEndpoint'>,
  _log: (line: string) => void = () => {},
): Promise<BrowserSource> {
  if (config.browserWsEndpoint) {
    const endpoint = config.browserWsEndpoint
    return { launch: () => connectBrowser(endpoint), shared: true }
  }
  const found = await ensureBrowser(config.browser)
  return { launch: () => launchBrowser(found.executablePath), shared: false }
}

/**
 * A build's browser source with its first browser already starting, so that it comes up (in its own processes) while
 * the build reads and checks the records; later launches (after a crash) start when asked. `spawned`: the first
 * browser's process, when the caller started it already (the command line does, right after its up-to-date test).
 */
export async function startBrowser(config: Pick<ResolvedConfig, 'browser' | 'browserWsEndpoint'>, spawned?: Spawned): Promise<BrowserSource> {
  const source = await browserSource(config)
  if (spawned && source.shared) spawned.child.kill('SIGKILL') // printing on a remote browser after all
  let first: Promise<Browser> | undefined = spawned && !source.shared ? launchBrowser(spawned.executablePath, spawned) : source.launch()
  first.catch(() => {})
  return {
    shared: source.shared,
    launch: () => {
      const launching = first ?? source.launch()
      first = undefined
      return launching
    },
  }
}

/**
 * Launches one headless browser for a whole build (spawnChromium(): its own profile folder, its protocol over a pipe),
 * or connects to one already being started (`spawned`), and speaks to it with Puppeteer.
 */
export async function launchBrowser(executablePath: string, spawned: Spawned = spawnChromium(executablePath)): Promise<Browser> {
  const { child, exited } = spawned
  hold(spawned, true)
  let timer: NodeJS.Timeout | undefined
  const failed = new Promise<never>((_, reject) => {
    // Never started (no process id): what the system said; started and gone: the last line it wrote.
    exited.then(() => {
      const said = spawned.stderr()
      reject(new Error(child.pid === undefined ? said || 'it could not be run' : `it exited${said ? `: ${said}` : ''}`))
    })
    timer = setTimeout(() => reject(new Error('it did not answer within 30 s')), 30_000)
  })
  failed.catch(() => {})
  try {
    const [write, read] = [child.stdio[3], child.stdio[4]] as [Writable, Readable]
    const browser = await Promise.race([puppeteer.connect({ transport: new PipeTransport(write, read), protocolTimeout: 120_000, defaultViewport: { width: 800, height: 600 } }), failed])
    trackBrowser(browser, spawned)
    return browser
  } catch (cause) {
    child.kill('SIGKILL')
    // Closes the connection still waiting for an answer (with its protocol timeout), which would keep the command alive.
    for (const stream of [child.stdio[3], child.stdio[4]]) stream?.destroy()
    throw new SheetError({
      code: 'BrowserNotFound',
      message: `the browser at ${executablePath} did not start: ${String((cause as Error).message).split('\n')[0]}`,
      hint: 'check that it runs (chromium --version), or set PUPPETEER_EXECUTABLE_PATH to another Chrome or Chromium',
      cause,
    })
  } finally {
    clearTimeout(timer)
  }
}

/** Connects to a browser that is already running (a remote Chrome pool, browserless-compatible) by its WebSocket URL. */
export async function connectBrowser(browserWSEndpoint: string): Promise<Browser> {
  try {
    return await puppeteer.connect({ browserWSEndpoint, protocolTimeout: 120_000 })
  } catch (cause) {
    throw new SheetError({
      code: 'BrowserNotFound',
      message: `could not connect to the browser at ${browserWSEndpoint}: ${String((cause as Error).message).split('\n')[0]}`,
      hint: "check the URL (ws://host:port/devtools/browser/<id>, or your pool's URL with its token) and that the pool is running",
      cause,
    })
  }
}

