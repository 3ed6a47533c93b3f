/** Assertion helpers for the compliance tests: check an error's code, never its message. */
import { expect } from "chai";

import { isZkError, type ZkErrorCode } from "../../ledger/zk";

/** Asserts that `fn` throws a ZkError with `code`. */
export function expectZkCode(fn: () => unknown, code: ZkErrorCode): void {
  try {
    fn();
  } catch (err) {
    expect(isZkError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
    return;
  }
  expect.fail(`expected ${code}, nothing was thrown`);
}

/** Asserts that `promise` rejects with a ZkError with `code`; returns the error. */
export async function expectZkRejection(promise: Promise<unknown>, code: ZkErrorCode) {
  try {
    await promise;
  } catch (err) {
    expect(isZkError(err, code), `expected ${code}, got ${String(err)}`).to.equal(true);
    return err;
  }
  return expect.fail(`expected ${code}, the promise resolved`);
}
