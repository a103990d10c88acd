/** The preview's Server-Sent Events (GET /events): every open page hears the version of each new snapshot. */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The open event streams. */
export class EventStreams {
  private readonly clients = new Set<ServerResponse>()

  /** Answers GET /events: the current version at once, then one event per update, and a ping to keep it open. */
  open(request: IncomingMessage, response: ServerResponse, version: string): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' })
    response.write(`retry: 500\nevent: version\ndata: ${version}\n\n`)
    this.clients.add(response)
    const ping = setInterval(() => response.write(': ping\n\n'), 20_000).unref()
    request.on('close', () => {
      clearInterval(ping)
      this.clients.delete(response)
    })
  }

  /** Tells every open page that the project is now at this version. */
  announce(version: string): void {
    for (const client of this.clients) client.write(`event: version\ndata: ${version}\n\n`)
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    for (const client of this.clients) client.end()
    this.clients.clear()
  }
}
