// Loads dist/cli.cjs, the whole command compiled into one CommonJS file, with V8's code cache: the functions a run
// compiled are kept in node_modules/.cache/factsheets/v8, so that the next run starts without compiling them again
// (a third of a second of a one-record build). Node 20 has no such cache for ES modules, hence this file.
// The cache is named after the build (dist/cli.cjs's first line: a hash of its sources), Node's version and the
// machine, and is only ever read for that exact file: V8 itself checks only the length of the source.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

/**
 * Loads the compiled command (dist/cli.cjs under root); undefined when it is not there. `full`: the run will print
 * (build, preview), whose cache is taken over one that only checked.
 */
export function loadCompiled(root, full) {
  const file = path.join(root, 'dist', 'cli.cjs')
  let source
  try {
    source = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const build = /^\/\/ build ([0-9a-f]+)\n/.exec(source)?.[1]
  const dir = path.join(root, 'node_modules', '.cache', 'factsheets', 'v8')
  const name = (kind) => path.join(dir, `${build}-${process.version}-${process.arch}.${kind}`)
  const found = build === undefined ? undefined : ['full', 'checks'].map((kind) => ({ kind, data: readOrNone(name(kind)) })).find((cache) => cache.data)
  const script = new vm.Script(wrap(source), { filename: file, cachedData: found?.data })
  const module = { exports: {} }
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file))
  const kind = full ? 'full' : 'checks'
  const stale = found === undefined || script.cachedDataRejected || (kind === 'full' && found.kind !== 'full')
  return {
    exports: module.exports,
    /** Keeps the code compiled so far for the next runs, when the cache found was missing, rejected or lesser. */
    keep() {
      if (build !== undefined && stale) writeWhole(name(kind), script.createCachedData(), dir, build)
    },
  }
}

// --- internal ---

function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n})`
}

function readOrNone(file) {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** Written whole or not at all; caches of other builds are removed once a day old. A read-only node_modules keeps none. */
function writeWhole(file, data, dir, build) {
  const temp = `${file}.${process.pid}.tmp`
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(temp, data)
    renameSync(temp, file)
    for (const other of readdirSync(dir)) {
      const old = path.join(dir, other)
      if (!other.startsWith(build) && Date.now() - statSync(old).mtimeMs > 86_400_000) rmSync(old, { force: true })
    }
  } catch {
    rmSync(temp, { force: true })
  }
}
