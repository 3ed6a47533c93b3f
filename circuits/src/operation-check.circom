pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/poseidon.circom";
include "tags.circom";
include "quad-path-root.circom";
include "time-within.circom";

// OperationCheck proves that one committed operation was allowed:
//
//   1. `commitment` = Poseidon(TAG_OPERATION, actor, role, action,
//      resourceClass, time, salt): the commitment opens to the private fields.
//   2. The assignment leaf Poseidon(TAG_ASSIGNMENT_LEAF, actor, role,
//      assignFrom, assignUntil) is in the assignment tree with root
//      `assignmentRoot`, and assignFrom <= time < assignUntil: the actor held
//      the role at that time.
//   3. The grant leaf Poseidon(TAG_GRANT_LEAF, role, action, resourceClass,
//      grantFrom, grantUntil) is in the policy tree with root `policyRoot`, and
//      grantFrom <= time < grantUntil: the role could do the action on the
//      resource class at that time.
//
// All inputs are wired by ComplianceWindow, which decides which are public.
// Trees are arity 4 with 2^depth leaves, so depth must be even.
template OperationCheck(policyDepth, assignDepth) {
    assert(policyDepth % 2 == 0 && policyDepth >= 2);
    assert(assignDepth % 2 == 0 && assignDepth >= 2);
    var policyLevels = policyDepth \ 2;
    var assignLevels = assignDepth \ 2;

    signal input policyRoot;
    signal input assignmentRoot;
    signal input commitment;
    signal input time;

    signal input actor;
    signal input role;
    signal input action;
    signal input resourceClass;
    signal input salt;

    signal input grantFrom;
    signal input grantUntil;
    signal input grantIndex;
    signal input grantSiblings[policyLevels][3];

    signal input assignFrom;
    signal input assignUntil;
    signal input assignIndex;
    signal input assignSiblings[assignLevels][3];

    // Section 1: the commitment opens to the private fields.
    component open = Poseidon(7);
    open.inputs[0] <== TAG_OPERATION();
    open.inputs[1] <== actor;
    open.inputs[2] <== role;
    open.inputs[3] <== action;
    open.inputs[4] <== resourceClass;
    open.inputs[5] <== time;
    open.inputs[6] <== salt;
    open.out === commitment;

    // Soundness: both time windows below compare `time` and rely on it fitting
    // in TIME_BITS bits; it is checked once here.
    component timeBits = Num2Bits(TIME_BITS());
    timeBits.in <== time;

    // Section 2: the actor held the role at `time`.
    component assignLeaf = Poseidon(5);
    assignLeaf.inputs[0] <== TAG_ASSIGNMENT_LEAF();
    assignLeaf.inputs[1] <== actor;
    assignLeaf.inputs[2] <== role;
    assignLeaf.inputs[3] <== assignFrom;
    assignLeaf.inputs[4] <== assignUntil;

    // Soundness: Num2Bits makes every path bit boolean and bounds the index
    // below 2^assignDepth, so QuadInsert's selectors stay one-hot.
    component assignPathBits = Num2Bits(assignDepth);
    assignPathBits.in <== assignIndex;

    component assignPath = QuadPathRoot(assignLevels, TAG_ASSIGNMENT_NODE());
    assignPath.leaf <== assignLeaf.out;
    assignPath.indexBits <== assignPathBits.out;
    assignPath.siblings <== assignSiblings;
    assignPath.root === assignmentRoot;

    component held = TimeWithin(TIME_BITS());
    held.time <== time;
    held.begin <== assignFrom;
    held.end <== assignUntil;

    // Section 3: the role was granted the action on the resource class at `time`.
    component grantLeaf = Poseidon(6);
    grantLeaf.inputs[0] <== TAG_GRANT_LEAF();
    grantLeaf.inputs[1] <== role;
    grantLeaf.inputs[2] <== action;
    grantLeaf.inputs[3] <== resourceClass;
    grantLeaf.inputs[4] <== grantFrom;
    grantLeaf.inputs[5] <== grantUntil;

    // Soundness: as for the assignment path, boolean bits and a bounded index.
    component grantPathBits = Num2Bits(policyDepth);
    grantPathBits.in <== grantIndex;

    component grantPath = QuadPathRoot(policyLevels, TAG_POLICY_NODE());
    grantPath.leaf <== grantLeaf.out;
    grantPath.indexBits <== grantPathBits.out;
    grantPath.siblings <== grantSiblings;
    grantPath.root === policyRoot;

    component granted = TimeWithin(TIME_BITS());
    granted.time <== time;
    granted.begin <== grantFrom;
    granted.end <== grantUntil;
}
