/** Runs the real command line in a child process, as a user would. */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { ROOT } from './project.ts'

/** What a finished command printed and its exit code. */
export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** The command users run: `factsheets` (the package's bin), which the npm scripts run as `node bin/factsheets.mjs`. */
export const BIN = path.join(ROOT, 'bin', 'factsheets.mjs')

/** Runs `node bin/factsheets.mjs ...args` in cwd: what `npm run build:sheets --` and the `factsheets` bin run. */
export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv } = { cwd: ROOT }): Promise<RunResult> {
  return runCommand(process.execPath, [BIN, ...args], options)
}

/** Runs any command and collects its output. */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
