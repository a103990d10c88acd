/** `preview`: starts the live preview, prints its address, and runs until Ctrl-C, SIGTERM or the end of the command that started it. */
import type { ResolvedConfig } from '../config/config.ts'
import { startPreview } from '../preview/server.ts'
import { createReporter, type CliReporter } from './report.ts'
import { untilStopped } from './signals.ts'

/** Starts the preview, prints "Preview on http://127.0.0.1:PORT", runs until Ctrl-C, SIGTERM or its launcher's end, then closes it. */
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
