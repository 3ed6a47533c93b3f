// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IAnchorRegistry} from "./IAnchorRegistry.sol";

/**
 * @dev Checks anchorlog compliance proofs on chain and records one attestation per tenant log
 * (origin), epoch and window start.
 *
 * A caller shows that the N entries at log indices `[windowStart, windowStart + N)` of one
 * tenant log were allowed by the tenant's anchored policy and role assignments:
 *
 * 1. the checkpoint commitment (origin hash, tree size, root hash, policy root, assignment
 *    root) is a leaf of the epoch tree whose root the registry holds for `epoch`. The root is
 *    read from the registry, never taken from calldata;
 * 2. the N leaves (81 bytes each, see docs/formats.md) are consecutive from `windowStart`, each
 *    carries a non-zero operation commitment, and each is included in the checkpoint's RFC 6962
 *    tree (SHA-256 precompile), so no entry of the window can be left out or repeated;
 * 3. each operation time is not after its leaf's integration time and at most
 *    `maxLagSeconds` before it;
 * 4. the Groth16 proof verifies for public inputs rebuilt here from the checked values:
 *    `[windowStart, policyRoot, assignmentRoot, commitment_0..N-1, time_0..N-1]`.
 *
 * Attestations are keyed by (origin hash, epoch, window start), never by proof bytes: Groth16
 * proofs are malleable, and a re-randomised proof of an attested window is refused.
 *
 * WARNING: The contract trusts the Groth16 verifier it is given, and so its trusted setup. The
 * development verifier's setup is public; anyone can forge proofs under it.
 *
 * WARNING: An attestation shows compliance with the anchored roots. Whether those roots are a
 * policy anyone reviewed is for the reader to check off chain (docs/compliance.md).
 */
contract ComplianceVerifier {
    using BitMaps for BitMaps.BitMap;

    /// @dev One leaf of an epoch tree, as the registry's `isAnchored` takes it.
    struct CheckpointCommitment {
        bytes32 originHash;
        uint64 treeSize;
        bytes32 rootHash;
        bytes32 policyRoot;
        bytes32 assignmentRoot;
    }

    /// @dev Bytes of one leaf: version, index, integration time, event hash, commitment.
    uint256 private constant _LEAF_SIZE = 81;

    IAnchorRegistry private immutable _registry;
    address private immutable _groth16;
    uint256 private immutable _operations;
    uint64 private immutable _maxLagSeconds;
    bytes4 private immutable _verifySelector;

    // One bit per window start, per origin and epoch: windows attested together share slots.
    mapping(bytes32 originHash => mapping(uint64 epoch => BitMaps.BitMap windows))
        private _attested;

    /// @dev A constructor argument is zero or out of range.
    error ComplianceVerifierInvalidConfig();

    /// @dev The window of `originHash` in `epoch` was attested before.
    error ComplianceVerifierAlreadyAttested(bytes32 originHash, uint64 epoch, uint64 windowStart);

    /// @dev The registry holds no root for `epoch`.
    error ComplianceVerifierEpochNotAnchored(uint64 epoch);

    /// @dev The checkpoint commitment is not a leaf of `epoch`'s tree.
    error ComplianceVerifierNotInEpoch(uint64 epoch, bytes32 originHash);

    /// @dev The anchored commitment carries a zero policy or assignment root.
    error ComplianceVerifierNoRoots(uint64 epoch);

    /// @dev The window does not fit in the checkpoint's tree.
    error ComplianceVerifierWindowOutOfRange(uint64 windowStart, uint64 treeSize);

    /// @dev `leaves` is not N leaves, or `times` is not N times.
    error ComplianceVerifierBadLength(uint256 leavesLength, uint256 timesLength);

    /// @dev The leaf at `position` has another version or index than expected.
    error ComplianceVerifierBadLeaf(uint256 position);

    /// @dev The leaf at `position` carries no operation commitment.
    error ComplianceVerifierNoCommitment(uint256 position);

    /// @dev The leaf at `position` is not in the checkpoint's tree.
    error ComplianceVerifierNotInCheckpoint(uint256 position);

    /// @dev The inclusion proofs are too short or leave `unused` hashes over.
    error ComplianceVerifierBadInclusionProofs(uint256 unused);

    /// @dev The operation at `position` is after its leaf's time or older than the lag allows.
    error ComplianceVerifierTimeOutOfBounds(uint256 position, uint64 time, uint64 integrated);

    /// @dev The Groth16 verifier refused the proof.
    error ComplianceVerifierProofRejected();

    /**
     * @dev Emitted once per (origin hash, epoch, window start) when a window is attested, with
     * the roots it was proven against.
     */
    event WindowAttested(
        bytes32 indexed originHash,
        uint64 indexed epoch,
        uint64 indexed windowStart,
        bytes32 policyRoot,
        bytes32 assignmentRoot,
        address attester
    );

    /**
     * @dev Binds the verifier to one registry, one Groth16 verifier (a snarkjs-generated
     * contract whose `verifyProof` takes 3 + 2N public inputs), N and a lag bound.
     */
    constructor(
        IAnchorRegistry registry,
        address groth16Verifier,
        uint256 operations,
        uint64 maxLagSeconds
    ) {
        if (address(registry) == address(0) || groth16Verifier == address(0)) {
            revert ComplianceVerifierInvalidConfig();
        }
        if (operations == 0 || operations > 64 || maxLagSeconds == 0) {
            revert ComplianceVerifierInvalidConfig();
        }

        _registry = registry;
        _groth16 = groth16Verifier;
        _operations = operations;
        _maxLagSeconds = maxLagSeconds;
        // snarkjs fixes the public input count in the signature, so the selector depends on N.
        _verifySelector = bytes4(
            keccak256(
                abi.encodePacked(
                    "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[",
                    Strings.toString(3 + 2 * operations),
                    "])"
                )
            )
        );
    }

    /**
     * @dev Verifies the window `[windowStart, windowStart + N)` of the checkpoint committed to
     * by `checkpoint` in `epoch`, and records its attestation.
     *
     * @param epochProof the commitment's path in the epoch tree (sorted pairs).
     * @param leaves the N leaves' data, concatenated (81 bytes each).
     * @param inclusionProofs every leaf's RFC 6962 inclusion proof in the checkpoint's tree,
     *   concatenated; each one's length follows from its index and the tree size.
     * @param times each operation's time, whole seconds.
     * @param proof the Groth16 proof as the generated verifier takes it: pA, pB, pC.
     *
     * Emits {WindowAttested}. Reverts with this contract's custom errors naming the failed
     * check.
     */
    function attest(
        uint64 epoch,
        CheckpointCommitment calldata checkpoint,
        bytes32[] calldata epochProof,
        uint64 windowStart,
        bytes calldata leaves,
        bytes32[] calldata inclusionProofs,
        uint64[] calldata times,
        uint256[8] calldata proof
    ) external {
        BitMaps.BitMap storage attested = _attested[checkpoint.originHash][epoch];
        if (attested.get(windowStart)) {
            revert ComplianceVerifierAlreadyAttested(checkpoint.originHash, epoch, windowStart);
        }

        _checkAnchored(epoch, checkpoint, epochProof);

        uint256[] memory inputs = _checkWindow(
            checkpoint,
            windowStart,
            leaves,
            inclusionProofs,
            times
        );

        _checkProof(proof, inputs);

        attested.set(windowStart);
        emit WindowAttested(
            checkpoint.originHash,
            epoch,
            windowStart,
            checkpoint.policyRoot,
            checkpoint.assignmentRoot,
            msg.sender
        );
    }

    /// @dev Whether the window of `originHash` starting at `windowStart` is attested in `epoch`.
    function isAttested(
        bytes32 originHash,
        uint64 epoch,
        uint64 windowStart
    ) external view returns (bool) {
        return _attested[originHash][epoch].get(windowStart);
    }

    /// @dev The registry, Groth16 verifier, N and lag bound this contract was built with.
    function configuration()
        external
        view
        returns (address registry, address groth16Verifier, uint256 operations, uint64 maxLag)
    {
        return (address(_registry), _groth16, _operations, _maxLagSeconds);
    }

    function _checkAnchored(
        uint64 epoch,
        CheckpointCommitment calldata c,
        bytes32[] calldata epochProof
    ) private view {
        bytes32 root = _registry.epochRoot(epoch);
        if (root == bytes32(0)) revert ComplianceVerifierEpochNotAnchored(epoch);

        // Hashing the encoded leaf twice, as the registry does, keeps an inner node from
        // passing as a leaf.
        bytes32 leaf = keccak256(
            bytes.concat(
                keccak256(
                    abi.encode(c.originHash, c.treeSize, c.rootHash, c.policyRoot, c.assignmentRoot)
                )
            )
        );
        if (!MerkleProof.verifyCalldata(epochProof, root, leaf)) {
            revert ComplianceVerifierNotInEpoch(epoch, c.originHash);
        }
        if (c.policyRoot == bytes32(0) || c.assignmentRoot == bytes32(0)) {
            revert ComplianceVerifierNoRoots(epoch);
        }
    }

    // Checks the leaves and returns the public inputs rebuilt from them.
    function _checkWindow(
        CheckpointCommitment calldata c,
        uint64 windowStart,
        bytes calldata leaves,
        bytes32[] calldata inclusionProofs,
        uint64[] calldata times
    ) private view returns (uint256[] memory inputs) {
        uint256 n = _operations;
        if (leaves.length != n * _LEAF_SIZE || times.length != n) {
            revert ComplianceVerifierBadLength(leaves.length, times.length);
        }
        if (uint256(windowStart) + n > c.treeSize) {
            revert ComplianceVerifierWindowOutOfRange(windowStart, c.treeSize);
        }

        inputs = new uint256[](3 + 2 * n);
        inputs[0] = windowStart;
        inputs[1] = uint256(c.policyRoot);
        inputs[2] = uint256(c.assignmentRoot);

        uint256 cursor = 0;
        for (uint256 i = 0; i < n; ++i) {
            bytes calldata leaf = leaves[i * _LEAF_SIZE:(i + 1) * _LEAF_SIZE];
            uint256 index = uint256(windowStart) + i;
            if (uint8(leaf[0]) != 1 || uint64(bytes8(leaf[1:9])) != index) {
                revert ComplianceVerifierBadLeaf(i);
            }
            uint256 commitment = uint256(bytes32(leaf[49:81]));
            if (commitment == 0) revert ComplianceVerifierNoCommitment(i);

            bytes32 root;
            (root, cursor) = _rootFromInclusion(
                index,
                c.treeSize,
                _leafHash(leaf),
                inclusionProofs,
                cursor
            );
            if (root != c.rootHash) revert ComplianceVerifierNotInCheckpoint(i);

            uint64 integrated = uint64(bytes8(leaf[9:17])) / 1000;
            uint64 time = times[i];
            if (time > integrated || integrated - time > _maxLagSeconds) {
                revert ComplianceVerifierTimeOutOfBounds(i, time, integrated);
            }

            inputs[3 + i] = commitment;
            inputs[3 + n + i] = time;
        }
        if (cursor != inclusionProofs.length) {
            revert ComplianceVerifierBadInclusionProofs(inclusionProofs.length - cursor);
        }
    }

    function _checkProof(uint256[8] calldata proof, uint256[] memory inputs) private view {
        // The generated verifier takes (pA, pB, pC, inputs) as static arrays, which ABI-encode
        // as their words in order, so the call data is the selector and the words.
        bytes memory data = abi.encodePacked(_verifySelector, proof, inputs);

        (bool ok, bytes memory answer) = _groth16.staticcall(data);

        if (!ok || answer.length != 32 || abi.decode(answer, (uint256)) != 1) {
            revert ComplianceVerifierProofRejected();
        }
    }

    /**
     * @dev RFC 9162 section 2.1.3.2: the root the inclusion proof of the leaf at `index` in a
     * tree of `size` leaves leads to. The proof's hashes start at `cursor` in `proofs`; their
     * number follows from `index` and `size`. Returns the root and the cursor past the proof.
     * Requires index < size (checked by the caller).
     */
    function _rootFromInclusion(
        uint256 index,
        uint256 size,
        bytes32 leafHash,
        bytes32[] calldata proofs,
        uint256 cursor
    ) private view returns (bytes32 root, uint256 next) {
        uint256 fn = index;
        uint256 sn = size - 1;
        root = leafHash;
        next = cursor;
        while (sn != 0) {
            if (next == proofs.length) revert ComplianceVerifierBadInclusionProofs(0);
            bytes32 sibling = proofs[next++];
            if (fn & 1 == 1 || fn == sn) {
                root = _nodeHash(sibling, root);
                while (fn & 1 == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                root = _nodeHash(root, sibling);
            }
            fn >>= 1;
            sn >>= 1;
        }
    }

    /// @dev SHA-256(0x00 || leaf data), the RFC 6962 leaf hash.
    function _leafHash(bytes calldata leaf) private view returns (bytes32 h) {
        // Hashes in the free memory past the free memory pointer, which is left unchanged:
        // the bytes are scratch, needed only for the precompile call.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x00)
            calldatacopy(add(m, 1), leaf.offset, leaf.length)
            if iszero(staticcall(gas(), 0x02, m, add(leaf.length, 1), 0x00, 0x20)) {
                revert(0, 0)
            }
            h := mload(0x00)
        }
    }

    /// @dev SHA-256(0x01 || left || right), the RFC 6962 node hash.
    function _nodeHash(bytes32 left, bytes32 right) private view returns (bytes32 h) {
        // Scratch memory past the free memory pointer, as in {_leafHash}.
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore8(m, 0x01)
            mstore(add(m, 1), left)
            mstore(add(m, 33), right)
            if iszero(staticcall(gas(), 0x02, m, 65, 0x00, 0x20)) {
                revert(0, 0)
            }
            h := mload(0x00)
        }
    }
}
