pragma circom 2.1.0;

include "circomlib/circuits/bitify.circom";
include "circomlib/circuits/comparators.circom";

// TimeWithin proves begin <= time < end for times of `bits` bits: the half-open
// window [begin, end) contains time.
//
// Precondition: `time` is range-checked to `bits` bits by the caller (it is
// shared by several windows, so it is checked once). This template range-checks
// begin and end itself.
template TimeWithin(bits) {
    signal input time;
    signal input begin;
    signal input end;

    // Soundness: circomlib's LessThan and LessEqThan assume both inputs fit in
    // `bits` bits and do not check it. Without these checks a window bound near
    // the field modulus would wrap around and compare as small.
    component beginBits = Num2Bits(bits);
    beginBits.in <== begin;
    component endBits = Num2Bits(bits);
    endBits.in <== end;

    // begin <= time.
    component notBefore = LessEqThan(bits);
    notBefore.in[0] <== begin;
    notBefore.in[1] <== time;
    notBefore.out === 1;

    // time < end.
    component beforeEnd = LessThan(bits);
    beforeEnd.in[0] <== time;
    beforeEnd.in[1] <== end;
    beforeEnd.out === 1;
}
