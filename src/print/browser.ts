/** Finds a Chrome or Chromium (config → environment → system → Puppeteer's cache), launches it, or says what to install. */
import { existsSync, rmSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer-core'
import { SheetError } from '../core/errors.ts'
import { isRunning } from '../core/processes.ts'
import type { ResolvedConfig } from '../config/config.ts'
import type { BrowserSource } from './page-pool.ts'
import PLACES from './browser-places.json' with { type: 'json' }

/** Flags for a headless browser that reaches nothing: no background networking, no sandbox needs as root, no GPU. */
export const BROWSER_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  '--host-resolver-rules=MAP * ~NOTFOUND',
]

/** Environment variables that name a browser executable, first match wins. */
export const BROWSER_ENV: readonly string[] = PLACES.env

/** Where a browser is, and how it was found. */
export interface FoundBrowser {
  executablePath: string
  source: string
}

/** Finds a browser executable; returns undefined when there is none. */
export async function findBrowser(configured?: string): Promise<FoundBrowser | undefined> {
  if (configured) return { executablePath: configured, source: 'config' }
  for (const name of BROWSER_ENV) {
    const value = process.env[name]
    if (value) return { executablePath: value, source: name }
  }
  for (const candidate of systemCandidates()) if (existsSync(candidate)) return { executablePath: candidate, source: 'system' }
  const cacheDir = process.env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer')
  try {
    // Loaded only when no system browser was found: it is a tenth of the command's start-up.
    const { getInstalledBrowsers } = await import('@puppeteer/browsers')
    const installed = await getInstalledBrowsers({ cacheDir })
    // The headless shell first: a tenth of the full browser's start-up, and less work per sheet.
    const chrome = ['chrome-headless-shell', 'chrome'].flatMap((name) => installed.filter((browser) => browser.browser === name))[0]
    if (chrome && existsSync(chrome.executablePath)) return { executablePath: chrome.executablePath, source: 'puppeteer cache' }
  } catch {
    // No cache folder: nothing installed there.
  }
  return undefined
}

/**
 * Finds a browser, or throws BrowserNotFound with the one thing to install; installing one is the set-up script's job
 * (scripts/setup.mjs), never the build's.
 */
export async function ensureBrowser(configured?: string): Promise<FoundBrowser> {
  const found = await findBrowser(configured)
  if (!found) throw new SheetError({ code: 'BrowserNotFound', message: 'no Chrome or Chromium was found to print the PDFs' })
  if (!existsSync(found.executablePath)) {
    throw new SheetError({
      code: 'BrowserNotFound',
      message: `the browser named by ${found.source} does not exist: ${found.executablePath}`,
      hint: `correct ${found.source}, or unset it to use a system Chromium`,
    })
  }
  return found
}

/**
 * How every browser of ours is launched: headless, our flags, signals left to the command line, and over a pipe rather
 * than a socket, so that the browser exits with the process that launched it even when that one is killed outright.
 */
export function launchOptions(executablePath: string): LaunchOptions {
  return {
    executablePath,
    // The headless shell (Debian's chromium-headless-shell, Puppeteer's chrome-headless-shell) is headless by itself.
    headless: /headless[-_]shell/.test(path.basename(executablePath)) ? 'shell' : true,
    pipe: true,
    args: [...BROWSER_ARGS],
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
 * the build reads and checks the records; later launches (after a crash) start when asked.
 */
export async function startBrowser(config: Pick<ResolvedConfig, 'browser' | 'browserWsEndpoint'>): Promise<BrowserSource> {
  const source = await browserSource(config)
  let first: Promise<Browser> | undefined = source.launch()
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
 * Launches one headless browser for a whole build, with a profile folder of its own in the temporary folder: removed
 * when the browser exits, or by the next launch when a build killed outright (SIGKILL) left it.
 */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const profile = await newProfile()
  const remove = () => rmSync(profile, { recursive: true, force: true, maxRetries: 2 })
  try {
    // Signals are the command line's to handle: it stops the build, closes the browser and removes temporary files.
    const browser = await puppeteer.launch({ ...launchOptions(executablePath), userDataDir: profile })
    browser.process()?.once('exit', remove)
    return browser
  } catch (cause) {
    remove()
    throw new SheetError({
      code: 'BrowserNotFound',
      message: `the browser at ${executablePath} did not start: ${String((cause as Error).message).split('\n')[0]}`,
      hint: 'check that it runs (chromium --version), or set PUPPETEER_EXECUTABLE_PATH to another Chrome or Chromium',
      cause,
    })
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

// --- internal ---

/** The profile folders of our browsers: factsheets-chromium-<pid of the command>-<random>. */
const PROFILE = /^factsheets-chromium-(\d+)-/

/** A new profile folder, after removing those of commands that no longer run. */
async function newProfile(): Promise<string> {
  const dir = os.tmpdir()
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number(PROFILE.exec(name)?.[1])
    if (pid && pid !== process.pid && !isRunning(pid)) await rm(path.join(dir, name), { recursive: true, force: true }).catch(() => {})
  }
  return mkdtemp(path.join(dir, `factsheets-chromium-${process.pid}-`))
}

function systemCandidates(): readonly string[] {
  if (process.platform === 'darwin') {
    return PLACES.darwin
  }
  if (process.platform === 'win32') {
    const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter(Boolean) as string[]
    return roots.map((root) => path.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'))
  }
  return PLACES.linux
}
