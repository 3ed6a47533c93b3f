/**
 * Shape checks shared by the policy and assignment parsers: a document is a plain JSON object
 * with exactly the expected keys.
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";

/**
 * Checks that `value` is a plain object whose keys are all in `required` or `optional` and
 * that holds every key in `required`.
 *
 * @throws ZkError ZK_BAD_DOCUMENT naming `what` and the offending key otherwise.
 */
export function expectObject(
  value: unknown,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ZkError("ZK_BAD_DOCUMENT", `${what} is not a JSON object`, { what });
  }

  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new ZkError("ZK_BAD_DOCUMENT", `${what} has unknown key "${key}"`, { what, key });
    }
  }
  for (const key of required) {
    if (!(key in record)) {
      throw new ZkError("ZK_BAD_DOCUMENT", `${what} lacks key "${key}"`, { what, key });
    }
  }
  return record;
}

/**
 * Checks that `value` is an array.
 *
 * @throws ZkError ZK_BAD_DOCUMENT naming `what` otherwise.
 */
export function expectArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) {
    throw new ZkError("ZK_BAD_DOCUMENT", `${what} is not a JSON array`, { what });
  }

  return value;
}

/**
 * Checks the document's format version; only version 1 exists.
 *
 * @throws ZkError ZK_UNSUPPORTED_VERSION for any other value.
 */
export function expectVersion(value: unknown, what: string): 1 {
  if (value !== 1) {
    throw new ZkError("ZK_UNSUPPORTED_VERSION", `${what} has version ${String(value)}, wanted 1`, {
      what,
      version: String(value),
    });
  }

  return 1;
}

/**
 * Parses JSON text into a value.
 *
 * @throws ZkError ZK_BAD_DOCUMENT, with the syntax error as cause, for text that is not JSON.
 */
export function parseJsonText(text: string, what: string): unknown {
  if (typeof text !== "string") {
    throw new TypeError(`${what}: expected JSON text`);
  }

  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ZkError("ZK_BAD_DOCUMENT", `${what} is not valid JSON`, { what }, { cause });
  }
}

/** Orders two equally long tuples of integers lexicographically. */
export function compareTuples(a: readonly bigint[], b: readonly bigint[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return a[i] < b[i] ? -1 : 1;
    }
  }
  return 0;
}
