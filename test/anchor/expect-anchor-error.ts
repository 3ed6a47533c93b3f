import { expect } from "chai";

import { AnchorError, type AnchorErrorCode } from "../../ledger/anchor";

/** Runs `action`, expects it to throw an AnchorError with `code`, and returns that error. */
export function expectAnchorError<C extends AnchorErrorCode>(
  action: () => unknown,
  code: C,
): AnchorError<C> {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(AnchorError);
    expect((error as AnchorError).code).to.equal(code);
    return error as AnchorError<C>;
  }
  expect.fail(`expected an AnchorError with code ${code}, but nothing was thrown`);
}

/** Like {@link expectAnchorError}, for an action that returns a promise. */
export async function expectAnchorRejection<C extends AnchorErrorCode>(
  action: () => Promise<unknown>,
  code: C,
): Promise<AnchorError<C>> {
  try {
    await action();
  } catch (error) {
    expect(error).to.be.instanceOf(AnchorError);
    expect((error as AnchorError).code).to.equal(code);
    return error as AnchorError<C>;
  }
  expect.fail(`expected an AnchorError with code ${code}, but nothing was thrown`);
}
