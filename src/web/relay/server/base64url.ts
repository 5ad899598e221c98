/**
 * Base64url without padding, over `btoa`/`atob`, which every runtime the
 * relay runs in has (Node, Bun, Deno, workerd), so no `Buffer` is needed.
 */
const CHUNK = 0x8000;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // In chunks: spreading a large array into String.fromCharCode overflows the stack.
  for (let offset = 0; offset < bytes.length; offset += CHUNK) binary += String.fromCharCode(...bytes.subarray(offset, offset + CHUNK));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url text, or undefined when it is not one. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
