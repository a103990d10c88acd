/** Runs async work over a list with a bound on how many run at once, stopping early when asked. */

/**
 * Runs work over items with at most `limit` at once; takes no new item once the signal is aborted. Each slot of the
 * list is emptied as its item is taken (the list keeps its length), so that an item is collected once its work is done.
 */
export async function mapLimit<T>(items: (T | undefined)[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const take = () => {
    const item = items[next]
    items[next++] = undefined
    return item as T
  }
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(take())
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
