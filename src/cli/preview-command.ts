/** `preview`: starts the live preview, prints its address, and runs until SIGINT or SIGTERM, then closes it. */
import type { ResolvedConfig } from '../config/config.ts'
import { startPreview } from '../preview/server.ts'
import { createReporter, type CliReporter } from './report.ts'

/** Starts the preview, prints "Preview on http://127.0.0.1:PORT", and runs until SIGINT or SIGTERM, then closes it. */
export async function runPreview(
  config: ResolvedConfig,
  options: { port?: number } = {},
  reporter: Pick<CliReporter, 'info' | 'out'> = createReporter({ cwd: config.cwd }),
): Promise<void> {
  const preview = await startPreview(config, { port: options.port, log: (line) => reporter.info(line) })
  reporter.out(`Preview on ${preview.url}`)
  await untilStopped()
  await preview.close()
}

// --- internal ---

/** Resolves at the first SIGINT or SIGTERM, and stops listening for them. */
function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
