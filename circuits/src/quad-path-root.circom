pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "quad-insert.circom";

// QuadPathRoot computes the root of a fixed-depth arity-4 Poseidon Merkle tree
// from a leaf hash, the leaf's index bits and the three siblings at each level.
// Internal nodes are Poseidon(nodeTag, child0, child1, child2, child3).
//
// Inputs:
//   leaf                 the leaf hash (already tagged by the caller)
//   indexBits[2*levels]  the leaf index, least significant bit first; level l
//                        uses bits 2l and 2l+1. Must be boolean: the caller
//                        takes them from Num2Bits, which also bounds the index
//                        below 4^levels.
//   siblings[levels][3]  at each level, the other three children in order
// Output:
//   root
template QuadPathRoot(levels, nodeTag) {
    signal input leaf;
    signal input indexBits[2 * levels];
    signal input siblings[levels][3];
    signal output root;

    component place[levels];
    component hash[levels];
    signal level[levels + 1];
    level[0] <== leaf;

    for (var l = 0; l < levels; l++) {
        // Put the running hash in its position among the siblings.
        place[l] = QuadInsert();
        place[l].node <== level[l];
        place[l].siblings <== siblings[l];
        place[l].bits[0] <== indexBits[2 * l];
        place[l].bits[1] <== indexBits[2 * l + 1];

        // Hash the four children under the tree's node tag.
        hash[l] = Poseidon(5);
        hash[l].inputs[0] <== nodeTag;
        for (var k = 0; k < 4; k++) {
            hash[l].inputs[k + 1] <== place[l].children[k];
        }
        level[l + 1] <== hash[l].out;
    }

    root <== level[levels];
}
