#!/usr/bin/env node
// The command users run (`factsheets build|check|new|preview`, and every npm script of the project): in this one
// process, makes the project ready (scripts/setup.mjs: a few stat calls when all is there), compiles src/ into dist/
// when dist/ is missing or older than src/ (esbuild is loaded only then), and runs the compiled command. No TypeScript
// is compiled at run time and nothing is left in TMPDIR.
import { existsSync, readdirSync, statSync } from 'node:fs'
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
// A build with nothing to do is told by dist/up-to-date.js, one module holding only what that test needs; anything
// else runs in the compiled command loaded with V8's code cache (scripts/run-compiled.mjs), or in dist/ when there is none.
// What the test read (the manifest, the stamps, the record files) is handed to the build, which does not read it again,
// with the browser it started when the build has something to print (it boots while the compiled command loads).
// Settings to check (flags, sheets.config.json) need their schema: then the test runs in the compiled command, which a
// build loads anyway, rather than in dist/up-to-date.js and the ES module chunks of the schema (80-100 ms more). The
// settings file's name is CONFIG_FILE of src/config/config.ts.
const tested = command === 'build'
const handoff = {}
const settings = argv.some((arg) => arg.startsWith('-')) || existsSync(path.join(process.cwd(), 'sheets.config.json'))
const load = () => import('../scripts/run-compiled.mjs').then(({ loadCompiled }) => loadCompiled(root, ['build', 'preview'].includes(command)))
let compiled = tested && settings ? await load() : undefined
const upToDate = tested ? await (compiled?.exports ?? (await import(pathToFileURL(path.join(root, 'dist', 'up-to-date.js')).href))).mainIfUpToDate(argv, handoff) : undefined
// A no-op keeps no code cache: it compiled too little of the command for a build to start from it.
if (upToDate !== undefined) process.exitCode = upToDate
else {
  compiled ??= await load()
  const { main } = compiled?.exports ?? (await import(pathToFileURL(entry).href))
  process.exitCode = await main(argv, { notUpToDate: tested, ...handoff })
  compiled?.keep()
}

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
