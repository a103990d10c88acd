/** Content hashes: what input hashes, document IDs, manifests and shards are made of. */
import { createHash } from 'node:crypto'

/** Hex SHA-256 of some bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
