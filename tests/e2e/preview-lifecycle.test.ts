/** #13 the preview stops with the command that started it: Ctrl-C, SIGTERM, or `npm run` killed, never left serving. */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { descendants, isAlive } from '../helpers/processes.ts'
import { ROOT, tempProject, type TempProject } from '../helpers/project.ts'

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')
const CLI = path.join(ROOT, 'src', 'cli', 'cli.ts')

/** Starts a command that runs the preview; resolves with its URL once it prints "Preview on …". */
function startPreviewCommand(command: string, args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk
      const url = /Preview on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (url) resolve({ child, url, output: () => output })
    }
    child.stdout!.on('data', look)
    child.stderr!.on('data', look)
    child.on('exit', (code) => reject(new Error(`the preview exited (${code}) before it started:\n${output}`)))
  })
}

/** True once the server refuses connections. */
async function refuses(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) })
    return false
  } catch {
    return true
  }
}

/** Waits (up to a generous bound; not a timing assertion) until `done()` holds. */
async function eventually(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 480; i++) {
    if (await done()) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`still not the case after 120 s: ${what}`)
}

describe('#13 stopping the preview', () => {
  let project: TempProject
  let started: number[] = []
  afterEach(() => {
    for (const pid of started.filter(isAlive)) process.kill(pid, 'SIGKILL')
    started = []
    project?.remove()
  })
  const folders = () => ['--content', project.content, '--templates', project.templates, '--out', project.out]

  it('stops serving and leaves no process behind when the npm process that started it is killed', async () => {
    project = tempProject()
    const { child, url } = await startPreviewCommand('npm', ['run', '--silent', 'preview:sheets', '--', '--port', '0', ...folders()])
    expect((await fetch(url)).status).toBe(200)
    // npm → sh → tsx → node (the preview) → chromium: npm passes SIGTERM to sh only, which leaves tsx and the preview.
    started = descendants(child.pid!).map((process) => process.pid)
    expect(descendants(child.pid!).some((process) => process.command.includes('cli.ts') && process.command.includes('preview'))).toBe(true)
    child.kill('SIGTERM')
    await eventually(() => refuses(url), `the preview at ${url} refuses connections`)
    await eventually(() => started.every((pid) => !isAlive(pid)), 'every process npm started has ended')
  }, 300_000)

  it('stops on SIGTERM as on Ctrl-C, closing its browser, with exit code 0', async () => {
    project = tempProject()
    const { child, url } = await startPreviewCommand(TSX, [CLI, 'preview', '--port', '0', ...folders()])
    expect((await fetch(url)).status).toBe(200)
    started = descendants(child.pid!).map((process) => process.pid)
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await refuses(url)).toBe(true)
    await eventually(() => started.every((pid) => !isAlive(pid)), 'the preview and its browser have ended')
  }, 300_000)
})
