// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @dev Interface of the anchorlog epoch registry: one Merkle root per epoch, committing to the
 * latest checkpoint of every tenant log. Other contracts read anchored roots through it.
 *
 * Epochs are anchored in order without gaps: the first epoch is 1 and each later anchor is
 * the previous epoch plus one, so the anchored epochs are always exactly `[1, latestEpoch]`.
 */
interface IAnchorRegistry {
    /**
     * @dev The root of an epoch tree is zero, which no tree can produce.
     */
    error AnchorRegistryZeroRoot(uint64 epoch);

    /**
     * @dev `epoch` is not above the latest anchored epoch: a duplicate or an older epoch.
     */
    error AnchorRegistryEpochNotIncreasing(uint64 epoch, uint64 latest);

    /**
     * @dev `epoch` leaves a gap after the latest anchored epoch; `expected` is the next one.
     */
    error AnchorRegistryEpochSkipped(uint64 epoch, uint64 expected);

    /**
     * @dev Emitted when `root` is anchored as the epoch tree root of `epoch`.
     */
    event EpochAnchored(uint64 indexed epoch, bytes32 root);

    /**
     * @dev Anchors `root` as the epoch tree root of `epoch`.
     *
     * Requirements:
     *
     * - the caller holds the anchorer role.
     * - `root` is not zero.
     * - `epoch` is one more than the latest anchored epoch (1 for the first anchor).
     *
     * Emits an {EpochAnchored} event.
     */
    function anchor(uint64 epoch, bytes32 root) external;

    /**
     * @dev Returns the root anchored for `epoch`, or zero when `epoch` is not anchored.
     */
    function epochRoot(uint64 epoch) external view returns (bytes32);

    /**
     * @dev Returns the latest anchored epoch, or zero when nothing is anchored yet.
     */
    function latestEpoch() external view returns (uint64);

    /**
     * @dev Returns true when the checkpoint commitment given by its fields is a leaf of the
     * epoch tree anchored for `epoch`, as shown by the inclusion `proof`.
     */
    function isAnchored(
        uint64 epoch,
        bytes32 originHash,
        uint64 treeSize,
        bytes32 rootHash,
        bytes32 policyRoot,
        bytes32 assignmentRoot,
        bytes32[] calldata proof
    ) external view returns (bool);
}
