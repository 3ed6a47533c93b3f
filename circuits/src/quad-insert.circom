pragma circom 2.1.0;

// QuadInsert places `node` among its three siblings to form the four children of
// a parent in an arity-4 Merkle tree. The child position p = bits[0] + 2*bits[1]
// is the node's index within its parent; the siblings keep their left-to-right
// order around it.
//
// Precondition: bits[0] and bits[1] are constrained to be 0 or 1 by the caller
// (QuadPathRoot takes them from Num2Bits). With non-boolean bits the one-hot
// selectors below stop being one-hot and the children become arbitrary linear
// mixtures, which would let a prover forge a path.
//
// Cost: 9 constraints.
template QuadInsert() {
    signal input node;
    signal input siblings[3];
    signal input bits[2];
    signal output children[4];

    // One-hot selectors e_k = [p == k], linear in bits and their product.
    signal both <== bits[0] * bits[1];
    var e0 = 1 - bits[0] - bits[1] + both;
    var e1 = bits[0] - both;
    var e2 = bits[1] - both;
    var e3 = both;

    // Child 0: the node when p = 0, otherwise the first sibling.
    children[0] <== siblings[0] + e0 * (node - siblings[0]);

    // Child 1: sibling 0 when p = 0, the node when p = 1, sibling 1 when p >= 2.
    signal c1Low <== e0 * siblings[0];
    signal c1Mid <== e1 * node;
    children[1] <== c1Low + c1Mid + bits[1] * siblings[1];

    // Child 2: sibling 1 when p <= 1, the node when p = 2, sibling 2 when p = 3.
    signal c2Low <== (1 - bits[1]) * siblings[1];
    signal c2Mid <== e2 * node;
    children[2] <== c2Low + c2Mid + e3 * siblings[2];

    // Child 3: the node when p = 3, otherwise the last sibling.
    children[3] <== siblings[2] + e3 * (node - siblings[2]);
}
