/**
 * RFC 8785 JSON canonicalization (JCS) for the values anchorlog hashes: objects with keys
 * sorted by UTF-16 code units, no whitespace, ECMAScript number and string serialisation.
 *
 * The text is built member by member. Letting JSON.stringify print a re-sorted object would
 * be wrong: JavaScript objects list integer-like keys ("0", "10") first and in numeric order,
 * whatever order they were inserted in.
 */

/** A JSON value as parsed by JSON.parse. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Returns the canonical JSON text of `value`. Object members whose value is undefined are
 * left out, as JSON.stringify does.
 *
 * @throws TypeError for values JSON cannot represent exactly (non-finite numbers, undefined
 *   array items, functions, bigint), so two parties never hash different texts for one value.
 */
export function canonicalJson(value: unknown): string {
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
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const k of Object.keys(obj).sort()) {
        if (obj[k] === undefined) continue;
        parts.push(`${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
      }
      return `{${parts.join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
