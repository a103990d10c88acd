#!/usr/bin/env node
// Makes a fresh clone ready: installs npm dependencies when they are missing or stale, and for tests the
// Debian packages they read PDFs with (poppler-utils) and a browser (chromium) when run as root on Debian.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const args = new Set(process.argv.slice(2))

function say(line) {
  process.stderr.write(`setup: ${line}\n`)
}

function depsStale() {
  const marker = path.join(root, 'node_modules', '.package-lock.json')
  if (!existsSync(marker)) return true
  return statSync(path.join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs + 1000
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0
}

function canApt() {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/etc/debian_version') && onPath('apt-get')
}

function aptInstall(packages) {
  say(`installing ${packages.join(', ')} with apt-get...`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env })
}

if (depsStale()) {
  say('installing npm dependencies (npm ci)...')
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    say('npm ci failed: run `npm ci` in the project folder and read its message.')
    process.exit(2)
  }
}

if (args.has('--test')) {
  const hasBrowser =
    ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].some(existsSync) || Boolean(process.env.PUPPETEER_EXECUTABLE_PATH)
  const missing = [...(onPath('pdftotext') ? [] : ['poppler-utils']), ...(hasBrowser ? [] : ['chromium'])]
  if (missing.length > 0) {
    if (canApt()) aptInstall(missing)
    else {
      say(
        `the tests need ${missing.join(' and ')}: install ${missing.length > 1 ? 'them' : 'it'} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}) and run npm test again.`,
      )
      process.exit(2)
    }
  }
}
