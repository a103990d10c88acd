// Compiles src/ into dist/ with esbuild (ES modules for Node 20, the npm packages bundled in, lazily imported stages
// as their own chunks), so that the command line runs without compiling TypeScript and loads a few dozen files rather
// than the thousand of its packages (a third of its start-up). Called by bin/factsheets.mjs when
// dist/ is missing or older than src/, and by `npm run build:dist`. Safe when two processes build at once: every file
// is written to a temporary name and renamed into place, the entry point last.
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

/** The entry points of dist/: the command line and the public API. */
export const ENTRIES = { cli: 'src/cli/cli.ts', index: 'src/index.ts' }

// CommonJS packages bundled into ES modules still call require() for Node's own modules.
const REQUIRE = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"

/** Builds dist/ from src/; resolves when every file is in place. */
export async function buildDist() {
  const id = buildId()
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Packages are bundled; their data files (fonts, the atlas) are still found in node_modules at run time.
    external: ['esbuild'],
    // Stand-ins for packages the command never uses (scripts/no-proxy-agent.mjs, scripts/no-js-yaml.mjs say why), and a
    // debug that makes each logger once (scripts/debug-once.mjs).
    alias: { 'proxy-agent': './scripts/no-proxy-agent.mjs', 'js-yaml': './scripts/no-js-yaml.mjs', debug: './scripts/debug-once.mjs' },
    minifySyntax: true,
    minifyWhitespace: true,
    write: false,
    logLevel: 'silent',
    // The bundled packages' licence comments are kept, at the end of each file.
    legalComments: 'eof',
  }
  // What the command's caches on disk are keyed by (src/core/version.ts BUILD): its sources and its packages' versions.
  const build_ = { FACTSHEETS_BUILD: JSON.stringify(id) }
  const esm = build({
    ...common,
    entryPoints: ENTRIES,
    outdir: 'dist',
    splitting: true,
    format: 'esm',
    banner: { js: REQUIRE },
    define: build_,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
  })
  const [modules, compiled, light] = await Promise.all([
    esm,
    // The whole command in one CommonJS file, which scripts/run-compiled.mjs loads with V8's code cache. Its first line
    // names the build, which the cache is kept under.
    build({
      ...common,
      entryPoints: { cli: ENTRIES.cli },
      outfile: 'dist/cli.cjs',
      format: 'cjs',
      banner: { js: `// build ${id}\nconst __import_meta_url = require('node:url').pathToFileURL(__filename).href;` },
      define: { ...build_, 'import.meta.url': '__import_meta_url' },
    }),
    // The up-to-date test alone (mainIfUpToDate) in one ES module: a no-op build loads this file and nothing else of
    // dist/ (eleven chunks otherwise). What it imports lazily (the settings' schema when flags are given) is the chunk
    // of the build above.
    esm.then(({ metafile }) =>
      build({
        ...common,
        stdin: { contents: "export { mainIfUpToDate } from './src/cli/cli.ts'", resolveDir: root, loader: 'ts', sourcefile: 'up-to-date.ts' },
        outfile: 'dist/up-to-date.js',
        format: 'esm',
        banner: { js: REQUIRE },
        define: build_,
        plugins: [lazyImportsFrom(metafile)],
      }),
    ),
  ])
  const result = { outputFiles: [...compiled.outputFiles, ...light.outputFiles, ...modules.outputFiles] }
  const outputs = [...result.outputFiles].sort((a, b) => isEntry(a.path) - isEntry(b.path))
  for (const file of outputs) {
    mkdirSync(path.dirname(file.path), { recursive: true })
    const temp = `${file.path}.${process.pid}.tmp`
    writeFileSync(temp, file.contents)
    renameSync(temp, file.path)
  }
  // Chunks of earlier builds are imported by nothing new: removed once an hour old (a command started before this
  // build may still be loading them).
  const current = new Set(outputs.map((file) => path.basename(file.path)))
  const chunks = path.join(root, 'dist', 'chunks')
  for (const name of readdirSync(chunks)) {
    const file = path.join(chunks, name)
    if (!current.has(name) && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true })
  }
}

/** Every `import()` resolved to the chunk the ES module build (its metafile) made of that module. */
function lazyImportsFrom(metafile) {
  const chunks = new Map(
    Object.entries(metafile.outputs).flatMap(([output, { entryPoint }]) => (entryPoint ? [[path.resolve(root, entryPoint), path.relative(path.join(root, 'dist'), path.resolve(root, output))]] : [])),
  )
  return {
    name: 'lazy-imports-from-chunks',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined
        // A package is resolved as esbuild resolves it (its ES module entry), a file of ours by its path.
        const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path)
        const resolved = bare ? (await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'resolving' })).path : path.resolve(path.dirname(args.importer), args.path)
        const chunk = chunks.get(resolved)
        if (!chunk) return { errors: [{ text: `no chunk of dist/ holds ${args.path} (imported by ${path.relative(root, args.importer)})` }] }
        return { path: `./${chunk.split(path.sep).join('/')}`, external: true }
      })
    },
  }
}

/** A hash of everything the compiled command is made of: src/, the locked package versions, this script. */
function buildId() {
  const hash = createHash('sha256')
  const src = path.join(root, 'src')
  const files = readdirSync(src, { recursive: true }).map((name) => path.join(src, name)).filter((file) => statSync(file).isFile()).sort()
  for (const file of [...files, path.join(root, 'package-lock.json'), fileURLToPath(import.meta.url)]) {
    hash.update(`${path.relative(root, file)}\0`)
    try {
      hash.update(readFileSync(file))
    } catch {
      hash.update('\0none')
    }
  }
  return hash.digest('hex').slice(0, 16)
}

/** The ES module entry points are written last (bin/factsheets.mjs takes dist/cli.js as the mark of a whole build). */
function isEntry(file) {
  return Object.keys(ENTRIES).some((name) => file === path.join(root, 'dist', `${name}.js`)) ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDist()
