import { expect } from "chai";

import type { Ledger } from "../../ledger";
import {
  resolveWorkerOptions,
  SYSTEM_CLOCK,
  type AnchorWorkerOptions,
} from "../../ledger/anchor/anchor-worker-options";

// Only option checks: no ledger method is called, so a stand-in object is enough.
const LEDGER = {} as Ledger;
const VALID: AnchorWorkerOptions = {
  ledger: LEDGER,
  rpcUrl: "http://127.0.0.1:8545",
  privateKey: "0x" + "11".repeat(32),
  registry: { chainId: 31337, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
};

describe("resolveWorkerOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = resolveWorkerOptions(VALID);

    expect(resolved).to.deep.include({
      confirmations: 1,
      epochMs: 60_000,
      minChangedLogs: 1_000,
      pollMs: 2_000,
      rpcTimeoutMs: 10_000,
      txTimeoutMs: 180_000,
      reorgWindowBlocks: 64,
      backoff: { initialMs: 1_000, maxMs: 60_000 },
      threadMinLeaves: 500,
      devRedeploy: false,
      clock: SYSTEM_CLOCK,
    });
    expect(resolved.registry).to.deep.equal({ ...VALID.registry, block: 0 });
  });

  it("refuses malformed options, naming them", () => {
    const cases: Array<[Partial<AnchorWorkerOptions>, ErrorConstructor, RegExp]> = [
      [{ rpcUrl: "ws://127.0.0.1:8545" }, TypeError, /rpcUrl/],
      [{ privateKey: "0x1234" }, TypeError, /privateKey/],
      [{ registry: { chainId: 0, address: VALID.registry.address } }, RangeError, /chainId/],
      [{ registry: { chainId: 1, address: "0x1234" } }, TypeError, /address/],
      [{ confirmations: 0 }, RangeError, /confirmations/],
      [{ epochMs: 1.5 }, RangeError, /epochMs/],
      [{ backoff: { initialMs: 0, maxMs: 10 } }, RangeError, /backoff.initialMs/],
      [{ devRedeploy: true }, TypeError, /deploy/],
    ];

    for (const [change, type, name] of cases) {
      expect(() => resolveWorkerOptions({ ...VALID, ...change })).to.throw(type, name);
    }
  });

  it("never echoes the private key", () => {
    const almost = "0x" + "ab".repeat(31) + "zz";

    expect(() => resolveWorkerOptions({ ...VALID, privateKey: almost }))
      .to.throw(TypeError)
      .that.satisfies((error: Error) => !error.message.includes("abab"));
  });
});
