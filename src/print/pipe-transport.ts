/** The DevTools protocol over the browser's pipe (--remote-debugging-pipe), as Puppeteer's connection speaks it. */
import type { Readable, Writable } from 'node:stream'
import type { ConnectionTransport } from 'puppeteer-core'

/** The DevTools protocol over the browser's pipe: messages written to its fd 3 and read from its fd 4, each ended by NUL. */
export class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void
  onclose?: () => void
  private pending: Buffer[] = []

  constructor(
    private readonly write: Writable,
    read: Readable,
  ) {
    read.on('data', (chunk: Buffer) => this.receive(chunk))
    // A browser started earlier may have exited (and its pipe closed) before it is spoken to.
    if (read.destroyed) setImmediate(() => this.onclose?.())
    else read.once('close', () => this.onclose?.())
    read.on('error', () => {})
    write.on('error', () => {})
  }

  send(message: string): void {
    this.write.write(`${message}\0`)
  }

  close(): void {
    this.write.end()
  }

  private receive(chunk: Buffer): void {
    let end = chunk.indexOf(0)
    if (end < 0) {
      this.pending.push(chunk)
      return
    }
    let rest = chunk
    while (end >= 0) {
      const message = Buffer.concat([...this.pending, rest.subarray(0, end)]).toString('utf8')
      this.pending = []
      // Handed on in a later turn, as Puppeteer's own pipe does: its connection expects each message on its own.
      setImmediate(() => this.onmessage?.(message))
      rest = rest.subarray(end + 1)
      end = rest.indexOf(0)
    }
    if (rest.length > 0) this.pending.push(rest)
  }
}
