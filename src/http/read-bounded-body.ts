/**
 * Reads a request body to its end, keeping at most `limit + 1` bytes: the one body reader of the
 * API and of the scripted model server.
 *
 * It drains what it does not keep rather than stopping: a server that answers before reading the
 * whole body makes the Functions host's HTTP stream proxy lose the answer (the connection closes
 * mid-upload), and buffering an oversized body would waste memory. The host's own body limit bounds
 * what is read.
 *
 * @returns the bytes kept, and `total`, how many the body had (more than `limit` means too large).
 */
export async function readBoundedBody(
  body: AsyncIterable<Uint8Array> | null | undefined,
  limit: number,
): Promise<{ bytes: Buffer; total: number }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  for await (const chunk of body ?? []) {
    total += chunk.byteLength;
    if (kept <= limit) {
      chunks.push(Buffer.from(chunk));
      kept += chunk.byteLength;
    }
  }
  return { bytes: Buffer.concat(chunks), total };
}
