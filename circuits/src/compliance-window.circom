pragma circom 2.1.0;

include "operation-check.circom";

// ComplianceWindow(N, policyDepth, assignDepth)
//
// Proves that each of N consecutive log operations, known to the verifier only
// by its commitment and time, was allowed by the committed policy and role
// assignments at that time. For every i < N, OperationCheck proves that:
//   - commitment[i] opens to (actor, role, action, resourceClass, time[i], salt);
//   - the assignment (actor, role, from, until) is in the tree with root
//     assignmentRoot and from <= time[i] < until;
//   - the grant (role, action, resourceClass, validFrom, validUntil) is in the
//     tree with root policyRoot and validFrom <= time[i] < validUntil.
//
// Public inputs, in this order (circom orders public signals by declaration):
//   windowStart      log index of the first operation; operation i is the
//                    entry at windowStart + i. Bound to the proof, not used.
//   policyRoot       root of the policy tree (2^policyDepth grant slots)
//   assignmentRoot   root of the assignment tree (2^assignDepth slots)
//   commitment[N]    each operation's commitment, as in its leaf data
//   time[N]          each operation's time in seconds; the verifier compares
//                    it with the leaf's integration time
// N is fixed by the circuit and so by its verification key.
//
// Everything else is private: the opened fields and salts, the matching grant
// and assignment leaves, and their Merkle paths.
template ComplianceWindow(N, policyDepth, assignDepth) {
    var policyLevels = policyDepth \ 2;
    var assignLevels = assignDepth \ 2;

    signal input windowStart;
    signal input policyRoot;
    signal input assignmentRoot;
    signal input commitment[N];
    signal input time[N];

    signal input actor[N];
    signal input role[N];
    signal input action[N];
    signal input resourceClass[N];
    signal input salt[N];
    signal input grantFrom[N];
    signal input grantUntil[N];
    signal input grantIndex[N];
    signal input grantSiblings[N][policyLevels][3];
    signal input assignFrom[N];
    signal input assignUntil[N];
    signal input assignIndex[N];
    signal input assignSiblings[N][assignLevels][3];

    // Soundness: windowStart enters no other constraint. This product ties it
    // into the constraint system so the proof stands for one window only and
    // cannot be replayed for another start index.
    signal windowStartSquared <== windowStart * windowStart;

    // One check per operation against the same two roots.
    component check[N];
    for (var i = 0; i < N; i++) {
        check[i] = OperationCheck(policyDepth, assignDepth);
        check[i].policyRoot <== policyRoot;
        check[i].assignmentRoot <== assignmentRoot;
        check[i].commitment <== commitment[i];
        check[i].time <== time[i];
        check[i].actor <== actor[i];
        check[i].role <== role[i];
        check[i].action <== action[i];
        check[i].resourceClass <== resourceClass[i];
        check[i].salt <== salt[i];
        check[i].grantFrom <== grantFrom[i];
        check[i].grantUntil <== grantUntil[i];
        check[i].grantIndex <== grantIndex[i];
        check[i].grantSiblings <== grantSiblings[i];
        check[i].assignFrom <== assignFrom[i];
        check[i].assignUntil <== assignUntil[i];
        check[i].assignIndex <== assignIndex[i];
        check[i].assignSiblings <== assignSiblings[i];
    }
}
