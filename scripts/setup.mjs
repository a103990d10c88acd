#!/usr/bin/env node
// Makes a fresh clone ready: installs npm dependencies when they are missing or stale; unless called with
// --no-browser, Debian's chromium-headless-shell when no browser is found (root on Debian only; SHEETS_NO_INSTALL=1 forbids it);
// and with --test the Debian package the tests read PDFs with (poppler-utils).
// This is the only place that installs a browser: the build itself only looks for one (src/print/browser.ts).
// Run as a script (npm test) or imported by bin/factsheets.mjs, which calls setup() in the command's own process.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

// The places findBrowser() in src/print/browser.ts looks at, from the one list both read.
const PLACES = JSON.parse(readFileSync(path.join(root, 'src', 'print', 'browser-places.json'), 'utf8'))
const BROWSER_ENV = PLACES.env
/** Debian's headless Chromium: all the pipeline needs, and it starts in a tenth of the full browser's time. */
const BROWSER_PACKAGE = 'chromium-headless-shell'
const SYSTEM_BROWSERS = process.platform === 'darwin' ? PLACES.darwin : PLACES.linux

// node:child_process (and the streams and sockets it loads: 5 ms of every command's start) only when something is run.
const childProcess = () => createRequire(import.meta.url)('node:child_process')

function say(line) {
  process.stderr.write(`setup: ${line}\n`)
}

function depsStale() {
  // node_modules linked from another checkout (a test's scratch copy) is that checkout's to install, never ours.
  if (existsSync(path.join(root, 'node_modules')) && lstatSync(path.join(root, 'node_modules')).isSymbolicLink()) return false
  const marker = path.join(root, 'node_modules', '.package-lock.json')
  if (!existsSync(marker)) return true
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000
}

function onPath(command) {
  return childProcess().spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

/** True when a browser is configured (sheets.config.json, an environment variable), installed, or in Puppeteer's cache. */
function hasBrowser() {
  if (configuredBrowser()) return true
  if (BROWSER_ENV.some((name) => Boolean(process.env[name]))) return true
  if (SYSTEM_BROWSERS.some((file) => existsSync(file))) return true
  const cacheDir = process.env.PUPPETEER_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'puppeteer')
  return ['chrome', 'chrome-headless-shell'].some((name) => {
    try {
      return readdirSync(path.join(cacheDir, name)).length > 0
    } catch {
      return false
    }
  })
}

/** `browser` or `browserWsEndpoint` in sheets.config.json: the build then needs no local browser found here. */
function configuredBrowser() {
  try {
    const config = JSON.parse(readFileSync(path.join(root, 'sheets.config.json'), 'utf8'))
    return Boolean(config?.browser || config?.browserWsEndpoint)
  } catch {
    return false
  }
}

function canApt() {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/etc/debian_version') && onPath('apt-get')
}

function aptInstall(packages) {
  say(`installing ${packages.join(', ')} with apt-get...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  const { execFileSync } = childProcess()
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env })
}

/**
 * Makes the project ready for a command: npm packages, and unless `--no-browser` a browser (with `--test` poppler too).
 * Returns 0, or 2 after saying what to install. Cheap when everything is there: a few stat calls.
 */
export function setup(argv) {
  const args = new Set(argv)
  if (depsStale()) {
    say('installing npm dependencies (npm ci)...')
    const result = childProcess().spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
    if (result.status !== 0) {
      say('npm ci failed: run `npm ci` in the project folder and read its message.')
      return 2
    }
  }

  const allowInstall = process.env.SHEETS_NO_INSTALL !== '1'
  const needBrowser = !args.has('--no-browser') && !hasBrowser()

  if (args.has('--test')) {
    const missing = [...(onPath('pdftotext') ? [] : ['poppler-utils']), ...(needBrowser ? [BROWSER_PACKAGE] : [])]
    if (missing.length > 0) {
      if (canApt() && allowInstall) aptInstall(missing)
      else {
        say(
          `the tests need ${missing.join(' and ')}: install ${missing.length > 1 ? 'them' : 'it'} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}) and run npm test again.`,
        )
        return 2
      }
    }
  } else if (needBrowser && allowInstall && canApt()) {
    // The build and the preview: if this fails, they stop by themselves with exit 2 and the one sentence of what to install.
    try {
      aptInstall([BROWSER_PACKAGE])
    } catch {
      say(`apt-get could not install ${BROWSER_PACKAGE}; the build will say what to install.`)
    }
  }
  return 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = setup(process.argv.slice(2))
