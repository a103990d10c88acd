/** The tool's name and version, as written into every PDF's Creator and into input hashes; its folder and build. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Set by scripts/build-dist.mjs in the compiled command: a hash of the sources it was compiled from. */
declare const FACTSHEETS_BUILD: string | undefined

/** The compiled command's build (a hash of its sources); undefined when running from the sources (tsx, tests). */
export const BUILD: string | undefined = typeof FACTSHEETS_BUILD === 'string' ? FACTSHEETS_BUILD : undefined

const found = readTool()

/** "factsheets 0.1.0" */
export const TOOL = found.tool

/** The package's folder (where its package.json and node_modules are). */
export const PACKAGE_ROOT = found.root

// --- internal ---

/** The nearest package.json above this module: the same from src/core/ (tsx, tests) and from dist/ or dist/chunks/. */
function readTool(): { tool: string; root: string } {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name: string; version: string }
      return { tool: `${pkg.name} ${pkg.version}`, root: fileURLToPath(dir) }
    } catch (cause) {
      if (dir.pathname === '/') throw cause
    }
  }
}
