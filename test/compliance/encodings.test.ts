import { createHash } from "node:crypto";

import { expect } from "chai";

import {
  FIELD_MODULUS,
  bytes32ToField,
  fieldToBytes32,
  isZkError,
  proofToSolidity,
  sampleWindowStarts,
  verificationKeyHash,
  type Groth16Proof,
} from "../../ledger/zk";
import { loadDevVerificationKey } from "../../ledger/zk/dev-artifacts";
import { canonicalJson } from "../../ledger/verify/canonical-json";

const BLOCK_HASH = `0x${"1f".repeat(32)}`;

/** The derivation spelled out with node:crypto: SHA-256(blockHash || uint32be(i)) mod span. */
function expectedStart(blockHash: string, i: number, span: number): number {
  const index = Buffer.alloc(4);
  index.writeUInt32BE(i);
  const digest = createHash("sha256")
    .update(Buffer.from(blockHash.slice(2), "hex"))
    .update(index)
    .digest("hex");
  return Number(BigInt(`0x${digest}`) % BigInt(span));
}

describe("sampleWindowStarts", () => {
  it("reduces SHA-256 of the block hash and the draw number modulo size - N + 1", () => {
    const starts = sampleWindowStarts(BLOCK_HASH, 1_000, 4, 5);

    expect(starts).to.deep.equal([0, 1, 2, 3, 4].map((i) => expectedStart(BLOCK_HASH, i, 997)));
  });

  it("keeps every window inside the tree, down to a tree of exactly N leaves", () => {
    expect(sampleWindowStarts(BLOCK_HASH, 2, 2, 3)).to.deep.equal([0, 0, 0]);
    for (const start of sampleWindowStarts(BLOCK_HASH, 7, 2, 64)) {
      expect(start).to.be.within(0, 5);
    }
  });

  it("refuses a malformed block hash, a tree smaller than N and a count out of range", () => {
    expect(() => sampleWindowStarts("0x1234", 10, 2, 1)).to.throw(TypeError);
    expect(() => sampleWindowStarts(BLOCK_HASH, 1, 2, 1)).to.throw(RangeError);
    expect(() => sampleWindowStarts(BLOCK_HASH, 10, 2, 0)).to.throw(RangeError);
    expect(() => sampleWindowStarts(BLOCK_HASH, 10, 2, 257)).to.throw(RangeError);
  });
});

describe("fieldToBytes32 and bytes32ToField", () => {
  it("write a field element as its 32 bytes, big-endian, and read it back", () => {
    expect(fieldToBytes32(1n)).to.equal(`0x${"00".repeat(31)}01`);
    expect(fieldToBytes32(0x0102n << 240n)).to.equal(`0x0102${"00".repeat(30)}`);
    expect(bytes32ToField(fieldToBytes32(FIELD_MODULUS - 1n))).to.equal(FIELD_MODULUS - 1n);
  });

  it("refuse the modulus and anything above it, and text that is not bytes32", () => {
    const modulus = `0x${FIELD_MODULUS.toString(16).padStart(64, "0")}`;
    for (const bad of [modulus, "0x01", `0x${"zz".repeat(32)}`]) {
      let err: unknown;
      try {
        bytes32ToField(bad);
      } catch (e) {
        err = e;
      }
      expect(isZkError(err, "ZK_NOT_FIELD_ELEMENT"), bad).to.equal(true);
    }
  });
});

describe("proofToSolidity", () => {
  it("lays out pA, then pB with each coordinate's halves swapped, then pC", () => {
    const proof: Groth16Proof = {
      pi_a: ["1", "2", "1"],
      pi_b: [
        ["3", "4"],
        ["5", "6"],
        ["1", "0"],
      ],
      pi_c: ["7", "8", "1"],
      protocol: "groth16",
      curve: "bn128",
    };

    expect(proofToSolidity(proof)).to.deep.equal(["1", "2", "4", "3", "6", "5", "7", "8"]);
  });
});

describe("verificationKeyHash", () => {
  it("is SHA-256 of the key's canonical JSON, whatever the key order", () => {
    const vkey = loadDevVerificationKey();
    const shuffled = Object.fromEntries(Object.entries(vkey).reverse()) as typeof vkey;
    const expected = createHash("sha256").update(canonicalJson(vkey)).digest("hex");

    expect(verificationKeyHash(shuffled)).to.equal(expected);
  });
});
