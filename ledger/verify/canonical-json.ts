/**
 * RFC 8785 JSON canonicalization (JCS) for the values anchorlog hashes: objects with keys
 * sorted by UTF-16 code units, no whitespace, ECMAScript number and string serialisation.
 */

/** A JSON value as parsed by JSON.parse. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Returns the canonical JSON text of `value`.
 *
 * @throws TypeError for values JSON cannot represent exactly (non-finite numbers, undefined,
 *   functions, bigint), so two parties never hash different texts for one value.
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify already serialises strings and numbers as RFC 8785 requires; only key order
  // and the rejection of unrepresentable values are left to do, so sort, check, then stringify.
  return JSON.stringify(sorted(value));
}

function sorted(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "boolean":
    case "string":
      return value;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return value;
    case "object": {
      if (Array.isArray(value)) return value.map(sorted);
      const obj = value as Record<string, unknown>;
      // No prototype, so a "__proto__" key stays an ordinary key.
      const out: Record<string, unknown> = Object.create(null);
      for (const k of Object.keys(obj).sort()) {
        if (obj[k] !== undefined) out[k] = sorted(obj[k]);
      }
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** The straightforward recursive serialiser, kept to cross-check the fast path in tests. */
export function canonicalJsonReference(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJsonReference).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      const parts: string[] = [];
      for (const k of keys) {
        if (obj[k] === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${canonicalJsonReference(obj[k])}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
