import { expect } from "chai";

import { Backoff } from "../../ledger/anchor/backoff";

describe("Backoff", () => {
  it("doubles from the initial delay and stops at the cap", () => {
    const backoff = new Backoff(250, 3_000);

    const delays = Array.from({ length: 7 }, () => backoff.fail());

    // 250 · 2^(n-1) for n = 1..7, capped at 3,000.
    expect(delays).to.deep.equal([250, 500, 1_000, 2_000, 3_000, 3_000, 3_000]);
    expect(backoff.failures).to.equal(7);
  });

  it("starts over after a success", () => {
    const backoff = new Backoff(100, 1_000);
    backoff.fail();
    backoff.fail();

    backoff.succeed();

    expect(backoff.failures).to.equal(0);
    expect(backoff.fail()).to.equal(100);
  });

  it("stays at the cap after very many failures", () => {
    const backoff = new Backoff(1, 60_000);

    for (let i = 0; i < 2_000; i++) backoff.fail();

    expect(backoff.fail()).to.equal(60_000);
  });

  it("refuses delays that are not positive integers, or a cap below the start", () => {
    for (const [initial, max] of [
      [0, 10],
      [1.5, 10],
      [10, 5],
      [10, Number.NaN],
    ]) {
      expect(() => new Backoff(initial, max)).to.throw(RangeError);
    }
  });
});
