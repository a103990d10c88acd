/** Finds a Chrome or Chromium (config → environment → system → Puppeteer's cache), or says what to install. */
import { existsSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SheetError } from '../core/errors.ts'
import PLACES from './browser-places.json' with { type: 'json' }

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
