import { readFileSync } from "node:fs";

import { expect } from "chai";

import { firstUnsatisfiedConstraint, readR1cs, type R1cs } from "../../circuits/scripts/r1cs-file";
import {
  DEV_PARAMS,
  FIELD_MODULUS,
  buildWindowWitness,
  releaseProverThreads,
  snarkjs,
  type SnarkLogger,
} from "../../ledger/zk";
import { builtFile, compileDevCircuit, readSignalMap } from "./dev-build";
import { ALICE_WRITES, BOB_READS, loadTenant } from "./fixtures";
import { calculateWitness, encodeWtns } from "./witness-tools";

/**
 * Each mutation changes one witness value of a valid witness. Several are signals that exist
 * only for soundness (range-check bits, comparator bits, path bits, the window start square):
 * a circuit that forgot to constrain them would still accept the mutated witness.
 */
const MUTATIONS: readonly { signal: string; change: (v: bigint) => bigint; why: string }[] = [
  { signal: "main.time[0]", change: (v) => v + 1n, why: "the public time" },
  { signal: "main.salt[0]", change: (v) => v + 1n, why: "the commitment's salt" },
  { signal: "main.action[0]", change: (v) => v + 1n, why: "an opened field" },
  { signal: "main.grantUntil[0]", change: (v) => v - 1n, why: "a grant leaf field" },
  { signal: "main.windowStart", change: (v) => v + 1n, why: "the window start" },
  {
    signal: "main.check[0].assignPath.indexBits[0]",
    change: (v) => 1n - v,
    why: "a path index bit",
  },
  {
    signal: "main.check[0].assignPath.indexBits[0]",
    change: () => 2n,
    why: "a path index bit made non-boolean",
  },
  {
    signal: "main.check[0].assignPath.place[0].both",
    change: (v) => 1n - v,
    why: "a QuadInsert selector",
  },
  { signal: "main.check[0].timeBits.out[0]", change: (v) => 1n - v, why: "a time range bit" },
  {
    signal: "main.check[1].held.beginBits.out[5]",
    change: (v) => 1n - v,
    why: "a window bound range bit",
  },
  {
    signal: "main.check[1].granted.beforeEnd.n2b.out[5]",
    change: (v) => 1n - v,
    why: "a comparator bit",
  },
  {
    signal: "main.check[0].timeBits.out[0]",
    change: (v) => (v + FIELD_MODULUS - 1n) % FIELD_MODULUS,
    why: "a range bit moved to r - 1 (a field wrap)",
  },
];

const quiet = (messages: string[]): SnarkLogger => ({
  debug: () => undefined,
  info: () => undefined,
  warn: (m) => messages.push(m),
  error: (m) => messages.push(m),
});

describe("zk constraint-level mutations", function () {
  this.timeout(120_000);

  let r1cs: R1cs;
  let r1csFile: string;
  let signals: ReadonlyMap<string, number>;
  let witness: bigint[];

  before(async () => {
    const compiled = await compileDevCircuit();
    r1csFile = builtFile(compiled.r1cs);
    r1cs = readR1cs(readFileSync(r1csFile));
    signals = readSignalMap(builtFile(compiled.sym));
    const tenant = await loadTenant();
    const built = buildWindowWitness(
      tenant.hash,
      DEV_PARAMS,
      tenant.policy,
      tenant.assignments,
      40,
      [{ operation: ALICE_WRITES }, { operation: BOB_READS }],
    );
    witness = await calculateWitness(builtFile(compiled.wasm), built.input);
  });

  after(() => releaseProverThreads());

  it("starts from a witness that satisfies every constraint", async () => {
    expect(witness[0]).to.equal(1n);
    expect(firstUnsatisfiedConstraint(r1cs, witness)).to.equal(-1);
    const messages: string[] = [];
    const file = { type: "mem" as const, data: encodeWtns(witness) };

    expect(await snarkjs.wtns.check(r1csFile, file, quiet(messages))).to.equal(true);
  });

  for (const { signal, change, why } of MUTATIONS) {
    it(`breaks a constraint when ${why} (${signal}) changes`, async () => {
      const index = signals.get(signal);
      expect(index, `${signal} must survive optimisation`).to.be.a("number");
      const mutated = [...witness];
      mutated[index!] = change(mutated[index!]) % FIELD_MODULUS;
      expect(mutated[index!]).to.not.equal(witness[index!]);

      expect(firstUnsatisfiedConstraint(r1cs, mutated)).to.be.at.least(0);
      const file = { type: "mem" as const, data: encodeWtns(mutated) };
      expect(await snarkjs.wtns.check(r1csFile, file, quiet([]))).to.equal(false);
    });
  }
});
