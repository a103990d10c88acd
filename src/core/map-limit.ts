/** Runs async work over a list with a bound on how many run at once, stopping early when asked. */

/** Runs work over items with at most `limit` at once; takes no new item once the signal is aborted. */
export async function mapLimit<T>(items: readonly T[], limit: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
