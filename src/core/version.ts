/** The tool's name and version, as written into every PDF's Creator and into input hashes. */
import { readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string }

/** "factsheets 0.1.0" */
export const TOOL = `${pkg.name} ${pkg.version}`
