/** Keeps a long build's memory flat: a full collection of the heap whenever it has grown by a budget since the last one. */
import v8 from 'node:v8'
import vm from 'node:vm'

/**
 * What the heap may grow by between collections. Each sheet leaves a megabyte or two of garbage (its HTML, the PDF and
 * the protocol's messages carrying it), much of it in V8's large-object space, which only a full collection frees;
 * left to itself, V8 lets the heap grow with the number of records held (460 MiB at 5,000 records, 235 at 1,000).
 */
const BUDGET = 96 * 1024 * 1024

let live = 0
let collect: (() => void) | undefined

/** Collects the heap when it has grown by the budget since the last collection; cheap otherwise (one reading). */
export function collectWhenGrown(): void {
  const used = v8.getHeapStatistics().used_heap_size
  if (used < live + BUDGET) return
  collect ??= exposedGc()
  collect()
  live = v8.getHeapStatistics().used_heap_size
}

/** V8's gc(), which a context gets when it is made after the flag is set (the process itself was started without it). */
function exposedGc(): () => void {
  v8.setFlagsFromString('--expose-gc')
  return vm.runInNewContext('gc') as () => void
}
