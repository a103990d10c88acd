/** A canary HTTP server on 127.0.0.1: records point at it, and a build that reaches the network shows up as a hit. */
import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** One thing that reached the canary: a TCP connection (any protocol) or an HTTP request. */
export interface CanaryHit {
  kind: 'connection' | 'request'
  /** The request line ("GET /x.png"), or the peer for a bare connection. */
  what: string
}

/** A running canary. */
export interface Canary {
  /** "127.0.0.1:PORT", for URLs such as http://127.0.0.1:PORT/x.png. */
  host: string
  port: number
  /** Everything that reached it so far. */
  hits: CanaryHit[]
  close(): Promise<void>
}

/**
 * Starts a canary on a random port of 127.0.0.1. It counts every TCP connection (so an https:// or ftp:// attempt
 * counts too, not only well-formed HTTP) and every request, and answers each with something a page would gladly use.
 */
export async function startCanary(): Promise<Canary> {
  const hits: CanaryHit[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((request, response) => {
    hits.push({ kind: 'request', what: `${request.method} ${request.url}` })
    const url = request.url ?? ''
    const type = url.endsWith('.css') ? 'text/css' : url.endsWith('.png') ? 'image/png' : 'text/html'
    response.writeHead(200, { 'content-type': type, 'access-control-allow-origin': '*' })
    response.end(type === 'text/css' ? 'body{background:url(/from-css.png)}' : type === 'text/html' ? '<p>CANARY-PAGE</p>' : '')
  })
  server.on('connection', (socket) => {
    hits.push({ kind: 'connection', what: `${socket.remoteAddress}:${socket.remotePort}` })
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
