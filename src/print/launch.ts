/** Starts our headless Chromium: its command line, its own profile folder, the DevTools protocol on a pipe (see pipe-transport.ts). */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'puppeteer-core'
import { isRunning } from '../core/processes.ts'
import { ensureBrowser } from './find-browser.ts'

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

/**
 * A printer's flags: those, and no frames drawn for a screen nobody sees (begin-frame control, no frame ever begun). A
 * sheet is laid out when measured and painted when printed, not rasterised again after each change: the renderer's
 * time for 100 sheets fell by 40%, the PDFs the same to the byte. A page a person or a test uses needs its frames.
 */
export const PRINTER_ARGS: readonly string[] = [...BROWSER_ARGS, '--enable-begin-frame-control']

/** True for a headless shell (Debian's chromium-headless-shell, Puppeteer's chrome-headless-shell): headless by itself. */
export function isHeadlessShell(executablePath: string): boolean {
  return /headless[-_]shell/.test(path.basename(executablePath))
}

/**
 * The whole command line, as Puppeteer's launch would make it for our options (tests/unit/launch.test.ts holds the two
 * side by side): its automation defaults, the profile, headless, then the flags (a printer's unless told), the protocol
 * on a pipe last.
 */
export function chromiumArgs(executablePath: string, profile: string, args: readonly string[] = PRINTER_ARGS): string[] {
  return [
    ...PUPPETEER_DEFAULTS,
    `--user-data-dir=${profile}`,
    isHeadlessShell(executablePath) ? '--headless' : '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    'about:blank',
    ...args,
    '--remote-debugging-pipe',
  ]
}

/** A browser process being started: the process, its profile folder, the end of what it wrote to stderr. */
export interface Spawned {
  executablePath: string
  child: ChildProcess
  profile: string
  /** The last lines the browser wrote to stderr (what it says when it cannot start). */
  stderr(): string
  /** Resolves when the process has exited (or could not be started). */
  exited: Promise<void>
}

/**
 * Starts the browser now, in a process group of its own (a Ctrl-C is the command's to handle), with a new profile
 * folder that goes when it exits; the next launch removes those of commands killed outright. Killed when this process
 * exits; killed outright (SIGKILL), the browser sees its pipe close and exits by itself.
 */
export function spawnChromium(executablePath: string, args: readonly string[] = PRINTER_ARGS): Spawned {
  const profile = newProfile()
  // Loaded here, not with the module: a build with nothing to do loads this module and never starts a browser (5 ms).
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process')
  const child = spawn(executablePath, chromiumArgs(executablePath, profile, args), {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  })
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-2000)))
  const removeProfile = () => rmSync(profile, { recursive: true, force: true, maxRetries: 2 })
  const kill = () => {
    child.kill('SIGKILL')
    removeProfile()
  }
  process.once('exit', kill)
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      process.off('exit', kill)
      // Off the main thread: a profile is a few hundred files.
      void rm(profile, { recursive: true, force: true, maxRetries: 2 }).finally(resolve)
    }
    child.once('exit', done)
    child.once('error', (error) => {
      tail ||= error.message // it could not be started at all (not executable, say)
      done()
    })
  })
  return { executablePath, child, profile, exited, stderr: () => tail.trim().split('\n').pop() ?? '' }
}

/**
 * Starts the browser a build will print with (the one configured, or the first found), so that it boots while the
 * command loads and reads the records; undefined when there is none to start (the build then says why).
 */
export async function spawnFound(configured?: string): Promise<Spawned | undefined> {
  let spawned: Spawned
  try {
    spawned = spawnChromium((await ensureBrowser(configured)).executablePath)
  } catch {
    return undefined
  }
  // Until a build speaks to it (holding it again), it does not keep this process alive: one that ends first kills it.
  hold(spawned, false)
  return spawned
}

/** Whether the browser's process and its pipe keep this process alive (they do, once it is spoken to). */
export function hold({ child }: Spawned, held: boolean): void {
  for (const handle of [child, child.stdio[2], child.stdio[3], child.stdio[4]] as ({ ref(): void; unref(): void } | null)[]) {
    if (held) handle?.ref()
    else handle?.unref()
  }
}

/** Keeps the process of a browser we launched, so that it can be killed when closing it is not enough. */
export function trackBrowser(browser: Browser, spawned: Spawned): void {
  const startPage = browser.pages().then(
    (pages) => pages.find((page) => page.url() === 'about:blank'),
    () => undefined,
  )
  launched.set(browser, { spawned, startPage })
}

/**
 * The blank page a browser we launched opened at start, once: its renderer process is already running, so the first
 * sheet need not wait for a new page's (a tenth of a second). Undefined for every later page and other browsers.
 */
export async function takeStartPage(browser: Browser): Promise<Page | undefined> {
  const pages = launched.get(browser)?.startPage
  if (!pages) return undefined
  launched.get(browser)!.startPage = undefined
  return pages
}

/**
 * Ends a browser. One we launched is killed outright: its profile is thrown away, so it has nothing to save, and a
 * graceful close left each of its pages' frames waiting 100 ms in Puppeteer for a swap that never comes (the command
 * waited for those timers). Once its pipe has closed, this process no longer waits for it (its helpers hold its stderr
 * open a little longer); its profile goes once it has exited, or with this process. Any other browser is closed.
 */
export async function closeBrowser(browser: Browser): Promise<void> {
  const spawned = launched.get(browser)?.spawned
  if (!spawned) return browser.close().catch(() => {})
  const gone = new Promise<void>((resolve) => (browser.connected ? browser.once('disconnected', () => resolve()) : resolve()))
  spawned.child.kill('SIGKILL')
  // Its pipe closes with it (until then, what keeps this process alive); should anything hold it open, not for long.
  await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
  hold(spawned, false)
}

// --- internal ---

/** Puppeteer 24's default flags for an automated headless Chrome (its ChromeLauncher.defaultArgs()). */
const PUPPETEER_DEFAULTS: readonly string[] = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
]

const launched = new WeakMap<Browser, { spawned: Spawned; startPage: Promise<Page | undefined> | undefined }>()

/** The profile folders of our browsers: factsheets-chromium-<pid of the command>-<random>. */
const PROFILE = /^factsheets-chromium-(\d+)-/

/** A new profile folder, after removing those of commands that no longer run. */
function newProfile(): string {
  const dir = os.tmpdir()
  let names: string[] = []
  try {
    names = readdirSync(dir)
  } catch {
    // An unreadable temporary folder: nothing to sweep.
  }
  for (const name of names) {
    const pid = Number(PROFILE.exec(name)?.[1])
    if (pid && pid !== process.pid && !isRunning(pid)) rmSync(path.join(dir, name), { recursive: true, force: true })
  }
  return mkdtempSync(path.join(dir, `factsheets-chromium-${process.pid}-`))
}
