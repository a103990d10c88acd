// Compiles src/ into dist/ with esbuild (ES modules for Node 20, the npm packages bundled in, lazily imported stages
// as their own chunks), so that the command line runs without compiling TypeScript and loads a few dozen files rather
// than the thousand of its packages (a third of its start-up). Called by bin/factsheets.mjs when
// dist/ is missing or older than src/, and by `npm run build:dist`. Safe when two processes build at once: every file
// is written to a temporary name and renamed into place, the entry point last.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

/** The entry points of dist/: the command line and the public API. */
export const ENTRIES = { cli: 'src/cli/cli.ts', index: 'src/index.ts' }

/** Builds dist/ from src/; resolves when every file is in place. */
export async function buildDist() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ENTRIES,
    outdir: 'dist',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages are bundled; their data files (fonts, the atlas) are still found in node_modules at run time.
    external: ['esbuild'],
    // Only ever used to download browsers, which the tool does not do: a stand-in that says so (scripts/no-proxy-agent.mjs).
    alias: { 'proxy-agent': './scripts/no-proxy-agent.mjs' },
    // CommonJS packages bundled into ES modules still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    minifySyntax: true,
    minifyWhitespace: true,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    logLevel: 'silent',
    // The bundled packages' licence comments are kept, at the end of each file.
    legalComments: 'eof',
  })
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

function isEntry(file) {
  return Object.keys(ENTRIES).some((name) => file === path.join(root, 'dist', `${name}.js`)) ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDist()
