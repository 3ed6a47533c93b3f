import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, concat, keccak256 } from "ethers";
import fc from "fast-check";

import {
  buildEpochTree,
  checkpointCommitment,
  computeEpochRoot,
  encodeEpochLeaf,
  EPOCH_LEAF_TYPES,
  epochLeaf,
  epochLeafValue,
  verifyEpochProof,
  ZERO_BYTES32,
  type CheckpointCommitment,
} from "../../ledger/anchor";
import { expectAnchorError } from "./expect-anchor-error";
import { flipBit, sampleCommitments, tamperedCommitments } from "./sample-commitments";

function hexOf(bytes: Uint8Array): string {
  return "0x" + Buffer.from(bytes).toString("hex");
}

// Keccak-256 of the three bytes "abc", the test vector every Ethereum keccak library checks.
const KECCAK_ABC = "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45";

describe("checkpointCommitment", () => {
  it("hashes the origin line as UTF-8 with keccak256", () => {
    const ascii = checkpointCommitment({ origin: "abc", treeSize: 0, rootHash: ZERO_BYTES32 });
    // "é" is the two UTF-8 bytes c3 a9.
    const accented = checkpointCommitment({ origin: "é", treeSize: 0, rootHash: ZERO_BYTES32 });

    expect(ascii.originHash).to.equal(KECCAK_ABC);
    expect(accented.originHash).to.equal(keccak256(Uint8Array.of(0xc3, 0xa9)));
  });

  it("sets absent policy and assignment roots to zero", () => {
    const c = checkpointCommitment({ origin: "a", treeSize: 1, rootHash: KECCAK_ABC });

    expect(c.policyRoot).to.equal("0x" + "0".repeat(64));
    expect(c.assignmentRoot).to.equal("0x" + "0".repeat(64));
  });

  it("takes a root hash as bytes or hex and keeps it as lower-case hex", () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0xe0 + (i % 16));
    const hex = "0x" + "E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF".repeat(2);

    const fromBytes = checkpointCommitment({ origin: "a", treeSize: 1, rootHash: bytes });
    const fromHex = checkpointCommitment({ origin: "a", treeSize: 1, rootHash: hex });

    expect(fromBytes.rootHash).to.equal(hex.toLowerCase());
    expect(fromHex.rootHash).to.equal(hex.toLowerCase());
  });

  it("accepts tree sizes from 0 to 2^64 - 1 as numbers or bigints", () => {
    for (const treeSize of [0, 1, Number.MAX_SAFE_INTEGER, (1n << 64n) - 1n]) {
      const c = checkpointCommitment({ origin: "a", treeSize, rootHash: KECCAK_ABC });

      expect(c.treeSize).to.equal(BigInt(treeSize));
    }
  });

  it("rejects malformed fields as misuse, naming the field", () => {
    const valid = { origin: "a", treeSize: 1, rootHash: KECCAK_ABC };
    const cases: Array<[Record<string, unknown>, ErrorConstructor, RegExp]> = [
      [{ origin: "" }, RangeError, /origin/],
      [{ origin: "a\nb" }, RangeError, /origin/],
      [{ origin: 7 }, TypeError, /origin/],
      [{ treeSize: -1 }, RangeError, /treeSize/],
      [{ treeSize: 1n << 64n }, RangeError, /treeSize/],
      [{ treeSize: 1.5 }, RangeError, /treeSize/],
      [{ treeSize: "1" }, TypeError, /treeSize/],
      [{ rootHash: new Uint8Array(31) }, RangeError, /rootHash/],
      [{ rootHash: KECCAK_ABC.slice(0, -1) }, RangeError, /rootHash/],
      [{ policyRoot: "0x" + "zz".repeat(32) }, RangeError, /policyRoot/],
      [{ assignmentRoot: 0 }, TypeError, /assignmentRoot/],
    ];

    for (const [change, kind, name] of cases) {
      const fields = { ...valid, ...change } as unknown as Parameters<
        typeof checkpointCommitment
      >[0];

      expect(() => checkpointCommitment(fields), Object.keys(change)[0]).to.throw(kind, name);
    }
  });
});

describe("epochLeaf", () => {
  const [commitment] = sampleCommitments(1);

  it("is keccak256 twice over the five fields as 32-byte ABI words", () => {
    // abi.encode of five static values is their five 32-byte words, uint64 left-padded.
    const words = concat([
      commitment.originHash,
      "0x" + commitment.treeSize.toString(16).padStart(64, "0"),
      commitment.rootHash,
      commitment.policyRoot,
      commitment.assignmentRoot,
    ]);

    expect(epochLeaf(commitment)).to.equal(keccak256(keccak256(words)));
  });

  it("encodes the leaf exactly as ethers' ABI coder does, at the tree size extremes", () => {
    for (const treeSize of [0n, 1n, 0x0102030405060708n, (1n << 64n) - 1n]) {
      const c = { ...commitment, treeSize };

      const reference = AbiCoder.defaultAbiCoder().encode(EPOCH_LEAF_TYPES, epochLeafValue(c));

      expect(hexOf(encodeEpochLeaf(c))).to.equal(reference);
    }
  });

  it("matches the leaf hash of OpenZeppelin's StandardMerkleTree", () => {
    const tree = StandardMerkleTree.of([epochLeafValue(commitment)], [...EPOCH_LEAF_TYPES]);

    expect(epochLeaf(commitment)).to.equal(tree.leafHash(epochLeafValue(commitment)));
  });
});

describe("buildEpochTree", () => {
  for (const count of [1, 2, 3, 100]) {
    it(`gives each leaf of a ${count}-leaf epoch a proof that verifies`, () => {
      const commitments = sampleCommitments(count);

      const tree = buildEpochTree(commitments);

      expect(tree.size).to.equal(count);
      for (const c of commitments) {
        const proof = tree.proof(c.originHash);
        verifyEpochProof(c, proof, tree.root);
        // An independent verifier: OpenZeppelin's own, from the same leaf values.
        const value = epochLeafValue(c);
        expect(StandardMerkleTree.verify(tree.root, [...EPOCH_LEAF_TYPES], value, proof)).to.equal(
          true,
        );
      }
    });
  }

  it("builds OpenZeppelin's StandardMerkleTree, root and proofs, at every small size", () => {
    // The reference tree gets the leaves already in origin-hash order and keeps that order.
    for (const count of [...Array.from({ length: 33 }, (_, i) => i + 1), 100, 257]) {
      const tree = buildEpochTree(sampleCommitments(count));
      const values = tree.commitments.map(epochLeafValue);

      const reference = StandardMerkleTree.of(values, [...EPOCH_LEAF_TYPES], {
        sortLeaves: false,
      });

      expect(tree.root, `${count} leaves`).to.equal(reference.root);
      for (const [i, c] of tree.commitments.entries()) {
        expect(tree.proof(c.originHash), `leaf ${i} of ${count}`).to.deep.equal(
          reference.getProof(i),
        );
      }
    }
  });

  it("makes a one-leaf epoch's root the leaf itself, with an empty proof", () => {
    const [only] = sampleCommitments(1);

    const tree = buildEpochTree([only]);

    expect(tree.root).to.equal(epochLeaf(only));
    expect(tree.proof(only.originHash)).to.deep.equal([]);
  });

  it("makes a two-leaf epoch's root the hash of both leaves in sorted order", () => {
    const [a, b] = sampleCommitments(2);
    const [low, high] = [epochLeaf(a), epochLeaf(b)].sort();

    const tree = buildEpochTree([a, b]);

    expect(tree.root).to.equal(keccak256(concat([low, high])));
  });

  it("gives the same root for any order of the same commitments", () => {
    const commitments = sampleCommitments(17);
    const rotated = [...commitments.slice(5), ...commitments.slice(0, 5)];

    const root = buildEpochTree(commitments).root;

    expect(buildEpochTree([...commitments].reverse()).root).to.equal(root);
    expect(buildEpochTree(rotated).root).to.equal(root);
  });

  it("places the leaves by ascending origin hash", () => {
    const tree = buildEpochTree(sampleCommitments(10));

    const origins = tree.commitments.map((c) => c.originHash);

    expect(origins).to.deep.equal([...origins].sort());
    expect(tree.commitment(origins[3])).to.equal(tree.commitments[3]);
  });

  it("refuses an epoch without commitments", () => {
    expectAnchorError(() => buildEpochTree([]), "ANCHOR_EMPTY_EPOCH");
  });

  it("refuses two commitments for one origin", () => {
    const [first] = sampleCommitments(1);
    const later = { ...first, treeSize: first.treeSize + 5n };

    const error = expectAnchorError(
      () => buildEpochTree([first, later]),
      "ANCHOR_DUPLICATE_ORIGIN",
    );

    expect(error.data.originHash).to.equal(first.originHash);
  });

  it("refuses a proof for an origin that has no leaf", () => {
    const tree = buildEpochTree(sampleCommitments(3));
    const [stranger] = sampleCommitments(4).slice(3);

    expectAnchorError(() => tree.proof(stranger.originHash), "ANCHOR_UNKNOWN_ORIGIN");
    expect(tree.commitment(stranger.originHash)).to.equal(undefined);
  });
});

describe("verifyEpochProof", () => {
  const commitments = sampleCommitments(100);
  const tree = buildEpochTree(commitments);
  const target = commitments[0];
  const proof = tree.proof(target.originHash);

  function expectMismatch(c: CheckpointCommitment, p: readonly string[], root: string): void {
    const error = expectAnchorError(() => verifyEpochProof(c, p, root), "ANCHOR_ROOT_MISMATCH");

    expect(error.data.expected).to.equal(root);
    expect(error.data.actual).to.equal(computeEpochRoot(c, p));
  }

  it("computes the anchored root from a leaf and its proof", () => {
    expect(computeEpochRoot(target, proof)).to.equal(tree.root);
  });

  for (const [field, tampered] of tamperedCommitments(target)) {
    it(`rejects the proof when the leaf's ${field} differs`, () => {
      expectMismatch(tampered, proof, tree.root);
    });
  }

  it("rejects a proof with any one element's bit flipped", () => {
    for (let i = 0; i < proof.length; i++) {
      const broken = proof.map((node, j) => (j === i ? flipBit(node, 0) : node));

      expectMismatch(target, broken, tree.root);
    }
  });

  it("rejects a proof with an element dropped or added", () => {
    expectMismatch(target, proof.slice(0, -1), tree.root);
    expectMismatch(target, [...proof, proof[0]], tree.root);
  });

  it("rejects another leaf's proof", () => {
    expectMismatch(target, tree.proof(commitments[1].originHash), tree.root);
  });

  it("rejects a root that differs from the tree's", () => {
    expectMismatch(target, proof, flipBit(tree.root, 42));
  });

  it("rejects any one-bit flip of any proof element of any leaf", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: commitments.length - 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        (leaf, element, bit) => {
          const c = commitments[leaf];
          const p = tree.proof(c.originHash);
          const at = element % p.length;
          const broken = p.map((node, j) => (j === at ? flipBit(node, bit) : node));

          expectAnchorError(() => verifyEpochProof(c, broken, tree.root), "ANCHOR_ROOT_MISMATCH");
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects malformed proof elements as misuse", () => {
    expect(() => verifyEpochProof(target, ["0x1234"], tree.root)).to.throw(
      RangeError,
      /proof\[0\]/,
    );
    expect(() => verifyEpochProof(target, [7 as unknown as string], tree.root)).to.throw(TypeError);
  });
});
