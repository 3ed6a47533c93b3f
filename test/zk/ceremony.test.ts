import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { expect } from "chai";

import {
  applyBeacon,
  contribute,
  finalizeCeremony,
  initCeremony,
  readTranscript,
} from "../../circuits/scripts/ceremony";
import { REPO_ROOT, runCircom } from "../../circuits/scripts/compile-circuit";
import { sha256File } from "../../circuits/scripts/setup-tools";
import { releaseProverThreads, snarkjs, type VerificationKey } from "../../ledger/zk";
import { expectZkRejection } from "./zk-assert";

/** 2^4 is far more than the one-constraint circuit needs and prepares in about a second. */
const POWER = 4;

describe("zk production ceremony (on a one-constraint circuit)", function () {
  this.timeout(120_000);

  let work: string;
  let build: string;
  let r1cs: string;
  let wasm: string;
  let ptau: string;
  let otherPtau: string;
  let dir: string;

  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), "anchorlog-ceremony-"));
    // circuits/build is git-ignored, so a fresh clone does not have it yet.
    mkdirSync(path.join(REPO_ROOT, "circuits", "build"), { recursive: true });
    build = mkdtempSync(path.join(REPO_ROOT, "circuits", "build", "test-ceremony-"));
    await runCircom(
      path.join("test", "zk", "fixtures", "square.circom"),
      path.relative(REPO_ROOT, build),
    );
    r1cs = path.join(build, "square.r1cs");
    wasm = path.join(build, "square_js", "square.wasm");

    const curve = await snarkjs.curves.getCurveFromName("bn128");
    const phase1 = async (name: string): Promise<string> => {
      const p0 = path.join(work, `${name}_0.ptau`);
      const p1 = path.join(work, `${name}_1.ptau`);
      const final = path.join(work, `${name}_final.ptau`);
      await snarkjs.powersOfTau.newAccumulator(curve, POWER, p0);
      await snarkjs.powersOfTau.beacon(p0, p1, name, "0102030405060708", 10);
      await snarkjs.powersOfTau.preparePhase2(p1, final);
      return final;
    };
    ptau = await phase1("main");
    // Same content plus one byte: a different file, as a swapped download would be.
    otherPtau = path.join(work, "other_final.ptau");
    writeFileSync(otherPtau, Buffer.concat([readFileSync(ptau), Buffer.from([0])]));
    await curve.terminate();
    dir = path.join(work, "ceremony");
    mkdirSync(dir);
  });

  after(async () => {
    await releaseProverThreads();
    rmSync(work, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  it("refuses a phase-1 file whose SHA-256 is not the expected one", async () => {
    await expectZkRejection(
      initCeremony({ dir, r1cs, ptau, ptauSha256: "00".repeat(32) }),
      "ZK_PTAU_HASH_MISMATCH",
    );
  });

  it("records the setup, two contributions and a beacon, then verifies the final key", async () => {
    const started = await initCeremony({ dir, r1cs, ptau, ptauSha256: sha256File(ptau) });
    expect(started.phase1).to.include({ sha256: sha256File(ptau), power: POWER });

    const alice = await contribute({ dir, name: "Alice Officer" });
    const bob = await contribute({ dir, name: "Bob Auditor", entropy: "dice rolls 3 1 4 1 5" });
    await expectZkRejection(
      applyBeacon({ dir, beaconHash: "ab".repeat(32), iterationsExp: 2 }),
      "ZK_SETUP_INVALID",
    );
    const beacon = await applyBeacon({ dir, beaconHash: "ab".repeat(32), iterationsExp: 10 });
    const done = await finalizeCeremony({ dir, r1cs, ptau });

    expect(done.steps.map((s) => [s.kind, s.name])).to.deep.equal([
      ["initial", "groth16 setup"],
      ["contribution", "Alice Officer"],
      ["contribution", "Bob Auditor"],
      ["beacon", "final beacon"],
    ]);
    expect(new Set([alice, bob, beacon].map((s) => s.contributionHash)).size).to.equal(3);
    expect(readTranscript(dir)).to.deep.equal(done);
    expect(done.final?.zkeySha256).to.equal(sha256File(path.join(dir, "circuit_final.zkey")));
  });

  it("produces keys that prove and verify", async () => {
    const vkey = JSON.parse(
      readFileSync(path.join(dir, "verification_key.json"), "utf8"),
    ) as VerificationKey;

    const { proof, publicSignals } = await snarkjs.groth16.fullProve(
      { x: "3" },
      wasm,
      path.join(dir, "circuit_final.zkey"),
    );

    expect(publicSignals).to.deep.equal(["9"]);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).to.equal(true);
    expect(await snarkjs.groth16.verify(vkey, ["10"], proof)).to.equal(false);
  });

  it("refuses to go on after finalizing", async () => {
    await expectZkRejection(contribute({ dir, name: "Late" }), "ZK_BAD_TRANSCRIPT");
  });

  it("refuses to contribute on a key that differs from the transcript", async () => {
    const second = path.join(work, "second");
    mkdirSync(second);
    await initCeremony({ dir: second, r1cs, ptau, ptauSha256: sha256File(ptau) });
    const key = path.join(second, "circuit_0000.zkey");
    const bytes = readFileSync(key);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(key, bytes);

    await expectZkRejection(contribute({ dir: second, name: "Eve" }), "ZK_BAD_TRANSCRIPT");
  });

  it("refuses to finalize against another phase-1 file", async () => {
    const third = path.join(work, "third");
    mkdirSync(third);
    await initCeremony({ dir: third, r1cs, ptau, ptauSha256: sha256File(ptau) });

    await expectZkRejection(
      finalizeCeremony({ dir: third, r1cs, ptau: otherPtau }),
      "ZK_BAD_TRANSCRIPT",
    );
  });
});
