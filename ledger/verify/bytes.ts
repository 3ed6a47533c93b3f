/**
 * Byte helpers that run unchanged in Node and in browsers: Uint8Array only, no Buffer.
 */

/** Returns the concatenation of the given byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;

  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Constant-time-ish equality of two byte arrays (no early exit on the first difference). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;

  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const HEX = "0123456789abcdef";

/** Lower-case hex of `bytes`, without a 0x prefix. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX[b >> 4] + HEX[b & 15];
  return out;
}

/** Parses hex (optional 0x prefix). Throws TypeError on odd length or a non-hex digit. */
export function fromHex(hex: string): Uint8Array {
  const s = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) {
    throw new TypeError(`hex: expected an even number of hex digits, got ${JSON.stringify(hex)}`);
  }

  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));

/** Standard base64 (RFC 4648 §4) with padding. */
export function toBase64(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += B64[n >> 18] + B64[(n >> 12) & 63] + "==";
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + "=";
  }
  return out;
}

/**
 * Parses standard, padded base64 strictly: no whitespace, no URL alphabet, no missing padding
 * and no non-zero trailing bits, so each byte string has exactly one accepted encoding.
 * Throws TypeError otherwise.
 */
export function fromBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new TypeError(`base64: length ${text.length} is not a multiple of 4`);
  }

  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = text[i + j];
      const last = i + 4 === text.length;
      if (c === "=" && last && j >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = B64_INDEX.get(c);
      if (v === undefined) throw new TypeError(`base64: bad character at offset ${i + j}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
    if (i + 4 === text.length && pad > 0) {
      const spare = pad === 2 ? n & 0xffff : n & 0xff;
      if (spare !== 0) throw new TypeError("base64: non-zero trailing bits");
    }
  }
  return out;
}

/** Encodes a non-negative safe integer as 8 big-endian bytes. */
export function u64be(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`u64be: expected a non-negative safe integer, got ${value}`);
  }

  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(value / 2 ** 32));
  view.setUint32(4, value >>> 0);
  return out;
}

/**
 * Reads 8 big-endian bytes at `offset` as a number. Throws RangeError when the value exceeds
 * Number.MAX_SAFE_INTEGER, since every size and index in anchorlog must be exact.
 */
export function readU64be(bytes: Uint8Array, offset: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const value = view.getUint32(0) * 2 ** 32 + view.getUint32(4);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`readU64be: value at offset ${offset} exceeds 2^53 - 1`);
  }
  return value;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8 strictly; throws TypeError on invalid sequences. */
export function fromUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}
