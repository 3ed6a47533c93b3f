import { keccak256, toUtf8Bytes } from "ethers";

import { checkpointCommitment, type CheckpointCommitment } from "../../ledger/anchor";

/**
 * Returns `count` commitments of distinct, made-up tenant logs. Every field is derived from
 * the tenant number, so a test can rebuild any of them; the roots are keccak256 of a label
 * only because they need to be 32 arbitrary bytes.
 */
export function sampleCommitments(count: number): CheckpointCommitment[] {
  return Array.from({ length: count }, (_, i) =>
    checkpointCommitment({
      origin: `log.anchorlog.example/tenant-${i}`,
      treeSize: 7 * i + 1,
      rootHash: keccak256(toUtf8Bytes(`root of tenant ${i}`)),
      // Every third tenant has compliance roots, so zero and non-zero roots both occur.
      policyRoot: i % 3 === 0 ? keccak256(toUtf8Bytes(`policy of tenant ${i}`)) : undefined,
      assignmentRoot: i % 3 === 0 ? keccak256(toUtf8Bytes(`roles of tenant ${i}`)) : undefined,
    }),
  );
}

/** Returns 32-byte hex `value` with bit `bit` (0 = lowest bit of the last byte) flipped. */
export function flipBit(value: string, bit: number): string {
  const flipped = BigInt(value) ^ (1n << BigInt(bit));

  return "0x" + flipped.toString(16).padStart(64, "0");
}

/** One copy of `commitment` per leaf field, each with only that field changed. */
export function tamperedCommitments(
  commitment: CheckpointCommitment,
): Array<[field: keyof CheckpointCommitment, tampered: CheckpointCommitment]> {
  return [
    ["originHash", { ...commitment, originHash: flipBit(commitment.originHash, 0) }],
    ["treeSize", { ...commitment, treeSize: commitment.treeSize + 1n }],
    ["rootHash", { ...commitment, rootHash: flipBit(commitment.rootHash, 255) }],
    ["policyRoot", { ...commitment, policyRoot: flipBit(commitment.policyRoot, 7) }],
    ["assignmentRoot", { ...commitment, assignmentRoot: flipBit(commitment.assignmentRoot, 100) }],
  ];
}
