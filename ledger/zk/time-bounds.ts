/**
 * Time values the circuit can compare: whole seconds since the Unix epoch, below 2^40.
 *
 * 2^40 seconds is about 34,800 years, so the bound never bites in practice, yet it keeps every
 * comparison in the circuit far from the field modulus. Windows are half-open [from, until);
 * the largest value, {@link TIME_FOREVER}, stands for "no end".
 *
 * Pure: no Node-only APIs.
 */
import { ZkError } from "./errors";

/** Bits of every time value; the circuit range-checks each time to this width. */
export const TIME_BITS = 40;

/** The largest time value, 2^40 - 1, used as the end of a window that never ends. */
export const TIME_FOREVER = 2 ** TIME_BITS - 1;

/**
 * Checks that `value` is a whole number of seconds in [0, TIME_FOREVER].
 *
 * @throws ZkError ZK_BAD_TIME naming `what` otherwise.
 */
export function checkTime(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new ZkError("ZK_BAD_TIME", `${what} is ${String(value)}, wanted whole seconds`, {
      what,
      value: String(value),
    });
  }
  if (value < 0 || value > TIME_FOREVER) {
    throw new ZkError("ZK_BAD_TIME", `${what} is ${value}, wanted [0, ${TIME_FOREVER}]`, {
      what,
      value,
    });
  }

  return value;
}

/**
 * Checks a half-open window [from, until): both are times and from < until. An `until` of null
 * means the window never ends and becomes {@link TIME_FOREVER}.
 *
 * @throws ZkError ZK_BAD_TIME for a bad bound or an empty window.
 */
export function checkWindow(
  from: unknown,
  until: unknown,
  what: string,
): { from: number; until: number } {
  const begin = checkTime(from, `${what}.from`);
  const end = until === null ? TIME_FOREVER : checkTime(until, `${what}.until`);
  if (begin >= end) {
    throw new ZkError("ZK_BAD_TIME", `${what} is the empty window [${begin}, ${end})`, {
      what,
      from: begin,
      until: end,
    });
  }

  return { from: begin, until: end };
}
