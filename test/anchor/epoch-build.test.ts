import { expect } from "chai";

import { buildEpochTree } from "../../ledger/anchor";
import { buildEpoch } from "../../ledger/anchor/epoch-build";
import { expectAnchorRejection } from "./expect-anchor-error";
import { sampleCommitments } from "./sample-commitments";

describe("buildEpoch", function () {
  // A worker thread loads the TypeScript sources afresh: a second or two.
  this.timeout(30_000);

  const commitments = sampleCommitments(40);
  const wanted = commitments.filter((_, i) => i % 7 === 0).map((c) => c.originHash);
  const reference = buildEpochTree(commitments);

  for (const [where, threadMinLeaves] of [
    ["inline", 1_000],
    ["in a worker thread", 1],
  ] as const) {
    it(`gives buildEpochTree's root and proofs when built ${where}`, async () => {
      const built = await buildEpoch(commitments, wanted, threadMinLeaves);

      expect(built.root).to.equal(reference.root);
      expect(built.size).to.equal(40);
      expect([...built.proofs.keys()]).to.deep.equal(wanted);
      for (const origin of wanted) {
        expect(built.proofs.get(origin)).to.deep.equal(reference.proof(origin));
      }
    });
  }

  it("passes on the epoch tree's coded errors from a worker thread", async () => {
    const twice = [commitments[0], commitments[0]];

    const error = await expectAnchorRejection(
      () => buildEpoch(twice, [], 1),
      "ANCHOR_DUPLICATE_ORIGIN",
    );

    expect(error.data.originHash).to.equal(commitments[0].originHash);
  });
});
