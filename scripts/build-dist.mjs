// Compiles src/ into dist/ with esbuild (ES modules for Node 20, npm packages left external, lazily imported stages
// as their own chunks), so that the command line runs without compiling TypeScript. Called by bin/factsheets.mjs when
// dist/ is missing or older than src/, and by `npm run build:dist`. Safe when two processes build at once: every file
// is written to a temporary name and renamed into place, the entry point last.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
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
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  })
  const outputs = [...result.outputFiles].sort((a, b) => isEntry(a.path) - isEntry(b.path))
  for (const file of outputs) {
    mkdirSync(path.dirname(file.path), { recursive: true })
    const temp = `${file.path}.${process.pid}.tmp`
    writeFileSync(temp, file.contents)
    renameSync(temp, file.path)
  }
}

function isEntry(file) {
  return Object.keys(ENTRIES).some((name) => file === path.join(root, 'dist', `${name}.js`)) ? 1 : 0
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildDist()
