/** Finds a Chrome or Chromium (config → environment → system → Puppeteer's cache), launches it, or says what to install. */
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { getInstalledBrowsers } from '@puppeteer/browsers'
import puppeteer, { type Browser, type LaunchOptions } from 'puppeteer-core'
import { SheetError } from '../core/errors.ts'
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
    const installed = await getInstalledBrowsers({ cacheDir })
    const chrome = installed.find((browser) => browser.browser === 'chrome' || browser.browser === 'chrome-headless-shell')
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
    headless: true,
    pipe: true,
    args: [...BROWSER_ARGS],
    timeout: 30_000,
    protocolTimeout: 120_000,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  }
}

/** Launches one headless browser for a whole build. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  try {
    // Signals are the command line's to handle: it stops the build, closes the browser and removes temporary files.
    return await puppeteer.launch(launchOptions(executablePath))
  } catch (cause) {
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
