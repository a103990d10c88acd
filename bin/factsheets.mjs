#!/usr/bin/env node
// The command users run (`factsheets build|check|new|preview`, and every npm script of the project): in this one
// process, makes the project ready (scripts/setup.mjs: a few stat calls when all is there), compiles src/ into dist/
// when dist/ is missing or older than src/ (esbuild is loaded only then), and runs dist/cli.js. No TypeScript is
// compiled at run time and nothing is left in TMPDIR.
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { setup } from '../scripts/setup.mjs'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const argv = process.argv.slice(2)
const entry = path.join(root, 'dist', 'cli.js')

// check, new, help and a merge without bundles print nothing: they need no browser.
const command = argv.find((arg) => !arg.startsWith('-')) ?? 'build'
const noBrowser =
  argv.includes('--help') ||
  argv.includes('-h') ||
  ['check', 'new', 'new-theme', 'help'].includes(command) ||
  (command === 'merge' && !argv.some((arg) => arg.startsWith('--bundle')))
const ready = setup(noBrowser ? ['--no-browser'] : [])
if (ready !== 0) process.exit(ready)
if (isStale()) await (await import('../scripts/build-dist.mjs')).buildDist()
const { main } = await import(pathToFileURL(entry).href)
process.exitCode = await main(argv)

/** True when dist/cli.js is missing, or src/ (or package.json, whose version the tool prints) changed after it. */
function isStale() {
  let built
  try {
    built = statSync(entry).mtimeMs
  } catch {
    return true
  }
  const src = path.join(root, 'src')
  let sources
  try {
    sources = readdirSync(src, { recursive: true })
  } catch {
    return false // an installed copy without sources: dist/ is what there is
  }
  return [path.join(root, 'package.json'), ...sources.map((name) => path.join(src, name))].some((file) => statSync(file).mtimeMs > built)
}
