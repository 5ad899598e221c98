import { RelayCode } from "../protocol.js";
import { RelayRefusal } from "./refusal.js";

/**
 * Reads a request body only as far as the relay accepts it: a declared
 * length above the bound is refused without reading a byte, a body that
 * grows past it is cut off at the first chunk too many, and one that trickles
 * is cut off at its deadline. Only called once `authorize` has accepted.
 */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export async function readBoundedBody(body: ReadableStream<Uint8Array> | null, declaredLength: number | undefined, limits: BodyLimits): Promise<Uint8Array> {
  if (declaredLength !== undefined && declaredLength > limits.maxBytes) throw tooLarge(limits.maxBytes);
  if (body === null) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel().catch(() => undefined);
  }, limits.timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timedOut) throw new RelayRefusal(408, RelayCode.BODY_TIMEOUT, `The body did not arrive within ${limits.timeoutMs} ms.`);
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxBytes) {
        reader.cancel().catch(() => undefined);
        throw tooLarge(limits.maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof RelayRefusal) throw error;
    if (timedOut) throw new RelayRefusal(408, RelayCode.BODY_TIMEOUT, `The body did not arrive within ${limits.timeoutMs} ms.`);
    throw new RelayRefusal(400, RelayCode.BODY_INCOMPLETE, "The body stopped before its end.");
  } finally {
    clearTimeout(timer);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(maxBytes: number): RelayRefusal {
  return new RelayRefusal(413, RelayCode.BODY_TOO_LARGE, `The body is larger than this relay accepts (${maxBytes} bytes).`);
}
