// Stands in for the js-yaml package in dist/: gray-matter loads it for its default YAML engine, which this tool
// replaces (src/core/front-matter.ts splits with gray-matter and parses with the yaml package). The real one loads
// esprima to read !!js/function, a fortieth of a second at every start, for nothing.
function unused() {
  throw new Error('js-yaml is not part of the compiled command: front matter is parsed with the yaml package')
}
export const safeLoad = unused
export const safeDump = unused
export const load = unused
export const dump = unused
export default { safeLoad, safeDump, load, dump }
