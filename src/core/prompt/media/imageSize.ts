/**
 * The pixel size of an image sent inline (base64, or a data: URL), read from its header: PNG, JPEG, GIF and WebP.
 * Only the start of the data is decoded (a JPEG's size can follow large metadata: up to 256 KB of it is read).
 * Undefined when the format is not one of these or the header is cut.
 */
export function imageSizeOf(data: string): { width: number; height: number } | undefined {
  const comma = data.startsWith('data:') ? data.indexOf(',') : -1;
  // Standard or URL-safe alphabet (Gemini's inlineData may use either).
  const b64 = (comma >= 0 ? data.slice(comma + 1) : data).replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = decodeHead(b64, 256 * 1024);
  if (!bytes) return undefined;
  return png(bytes) ?? gif(bytes) ?? webp(bytes) ?? jpeg(bytes);
}

function decodeHead(b64: string, maxBytes: number): Uint8Array | undefined {
  const chars = Math.min(b64.length, Math.ceil(maxBytes / 3) * 4) & ~3;
  try {
    const s = atob(b64.slice(0, chars));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

const be16 = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const be32 = (b: Uint8Array, i: number) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
const le16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const le24 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

function png(b: Uint8Array) {
  if (b.length < 24 || b[0] !== 0x89 || b[1] !== 0x50 || b[2] !== 0x4e || b[3] !== 0x47) return undefined;
  return { width: be32(b, 16), height: be32(b, 20) };
}

function gif(b: Uint8Array) {
  if (b.length < 10 || b[0] !== 0x47 || b[1] !== 0x49 || b[2] !== 0x46) return undefined;
  return { width: le16(b, 6), height: le16(b, 8) };
}

function webp(b: Uint8Array) {
  if (
    b.length < 30 ||
    String.fromCharCode(...b.subarray(0, 4)) !== 'RIFF' ||
    String.fromCharCode(...b.subarray(8, 12)) !== 'WEBP'
  )
    return undefined;
  const kind = String.fromCharCode(...b.subarray(12, 16));
  if (kind === 'VP8 ') return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  if (kind === 'VP8L') {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (kind === 'VP8X') return { width: le24(b, 24) + 1, height: le24(b, 27) + 1 };
  return undefined;
}

function jpeg(b: Uint8Array) {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    // Start-of-frame markers (baseline, progressive, …) carry the size; DHT/JPG/DAC (c4, c8, cc) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { width: be16(b, i + 7), height: be16(b, i + 5) };
    i += 2 + be16(b, i + 2);
  }
  return undefined;
}
