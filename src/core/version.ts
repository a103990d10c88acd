/** The tool's name and version, as written into every PDF's Creator and into input hashes. */
import { readFileSync } from 'node:fs'

/** "factsheets 0.1.0" */
export const TOOL = readTool()

// --- internal ---

/** The nearest package.json above this module: the same from src/core/ (tsx, tests) and from dist/ or dist/chunks/. */
function readTool(): string {
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name: string; version: string }
      return `${pkg.name} ${pkg.version}`
    } catch (cause) {
      if (dir.pathname === '/') throw cause
    }
  }
}
