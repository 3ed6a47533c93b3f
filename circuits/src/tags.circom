pragma circom 2.1.0;

// Domain tags. Every Poseidon hash in the compliance circuit takes one of these
// constants as its first input, so a grant leaf, an assignment leaf, an internal
// node of either tree and an operation commitment can never be mistaken for one
// another, even where two of them hash the same number of inputs.
//
// Each tag is the ASCII text in its comment read as one big-endian integer
// (at most 31 bytes, so below the field modulus). ledger/zk/tags.ts derives the
// same numbers from the same text; a proof verifying against roots computed in
// JavaScript shows that both sides agree.

// "anchorlog/zk/v1/grant-leaf"
function TAG_GRANT_LEAF() {
    return 156565908959869599576246826457081689016550491036375282161639782;
}

// "anchorlog/zk/v1/policy-node"
function TAG_POLICY_NODE() {
    return 40080872693726617491519187573012912388247792073138350345480528997;
}

// "anchorlog/zk/v1/assignment-leaf"
function TAG_ASSIGNMENT_LEAF() {
    return 172146037414695246490776467982580070893159718929699569546523260145950351718;
}

// "anchorlog/zk/v1/assignment-node"
function TAG_ASSIGNMENT_NODE() {
    return 172146037414695246490776467982580070893159718929699569546523260145984562277;
}

// "anchorlog/zk/v1/operation"
function TAG_OPERATION() {
    return 611585581874490623344714165847975347721047786578460086464366;
}

// Times are whole seconds since the Unix epoch below 2^TIME_BITS (2^40 s is
// about 34,800 years). The value 2^40 - 1 stands for "no end".
function TIME_BITS() {
    return 40;
}
