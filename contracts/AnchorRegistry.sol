// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IAnchorRegistry} from "./IAnchorRegistry.sol";

/**
 * @dev Stores one epoch tree root per epoch for anchorlog.
 *
 * An epoch tree is a sorted-pair keccak Merkle tree in the OpenZeppelin StandardMerkleTree
 * convention. Each leaf commits to the latest checkpoint of one tenant log:
 *
 *     leaf = keccak256(bytes.concat(keccak256(abi.encode(
 *         bytes32 originHash, uint64 treeSize, bytes32 rootHash,
 *         bytes32 policyRoot, bytes32 assignmentRoot))))
 *
 * Anchoring costs the same however many tenants an epoch covers: the chain sees one root.
 *
 * Epochs are anchored in order without gaps. That rule lets {anchor} prove "strictly
 * increasing" by reading the previous epoch's slot, which it would otherwise have to learn
 * from a separate latest-epoch slot that costs a cold read and a rewrite on every anchor.
 *
 * Accounts with `ANCHORER_ROLE` anchor; accounts with `DEFAULT_ADMIN_ROLE` grant and revoke
 * that role.
 *
 * WARNING: An anchored root can never be replaced. An anchorer key that leaks lets its holder
 * anchor the next epochs with any roots until the admin revokes the role; those epochs stay
 * on record and verifiers must recognise them by their unknown roots.
 */
contract AnchorRegistry is IAnchorRegistry, AccessControl {
    /// @dev The role allowed to call {anchor}; granted and revoked by `DEFAULT_ADMIN_ROLE`.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    mapping(uint64 epoch => bytes32 root) private _roots;

    /**
     * @dev The admin or the first anchorer is the zero address.
     */
    error AnchorRegistryInvalidAccount(address account);

    /**
     * @dev Grants `DEFAULT_ADMIN_ROLE` to `admin` and `ANCHORER_ROLE` to `anchorer`.
     */
    constructor(address admin, address anchorer) {
        if (admin == address(0)) revert AnchorRegistryInvalidAccount(admin);
        if (anchorer == address(0)) revert AnchorRegistryInvalidAccount(anchorer);

        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(ANCHORER_ROLE, anchorer);
    }

    /**
     * @inheritdoc IAnchorRegistry
     *
     * @dev Cold storage reads: the caller's role, this epoch's slot (which the write then
     * finds warm) and, after epoch 1, the previous epoch's slot.
     */
    function anchor(uint64 epoch, bytes32 root) external onlyRole(ANCHORER_ROLE) {
        if (root == bytes32(0)) revert AnchorRegistryZeroRoot(epoch);
        if (epoch == 0 || _roots[epoch] != bytes32(0)) {
            revert AnchorRegistryEpochNotIncreasing(epoch, latestEpoch());
        }
        // Anchored epochs are exactly [1, latest], so an unanchored previous epoch means
        // `epoch` is past latest + 1. Epoch 1 has no previous epoch to check.
        if (epoch != 1) {
            uint64 previous;
            // Cannot underflow: epoch 0 was rejected above.
            unchecked {
                previous = epoch - 1;
            }
            if (_roots[previous] == bytes32(0)) {
                revert AnchorRegistryEpochSkipped(epoch, latestEpoch() + 1);
            }
        }

        _roots[epoch] = root;
        emit EpochAnchored(epoch, root);
    }

    /// @inheritdoc IAnchorRegistry
    function epochRoot(uint64 epoch) external view returns (bytes32) {
        return _roots[epoch];
    }

    /**
     * @inheritdoc IAnchorRegistry
     *
     * @dev Searches instead of reading a stored counter, so anchoring never pays to keep one.
     *
     * WARNING: Costs about two cold storage reads per doubling of the latest epoch (some 40
     * reads, over 80k gas, at a million epochs). Contracts that know which epoch they need
     * should call {epochRoot} instead.
     */
    function latestEpoch() public view returns (uint64) {
        if (_roots[1] == bytes32(0)) return 0;

        // Invariant for both loops: epoch `low` is anchored and epoch `high` is not, where
        // 2^64 stands for "past the last possible epoch".
        uint256 low = 1;
        uint256 high = 2;
        while (high <= type(uint64).max && _roots[uint64(high)] != bytes32(0)) {
            low = high;
            high <<= 1;
        }

        while (high - low > 1) {
            uint256 middle = (low + high) >> 1;
            if (_roots[uint64(middle)] != bytes32(0)) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return uint64(low);
    }

    /**
     * @inheritdoc IAnchorRegistry
     *
     * @dev Returns false, never reverts, for an epoch that is not anchored.
     *
     * WARNING: A true answer shows the commitment was anchored, not that it is the only one
     * for its origin in that epoch: the tree's builder keeps one leaf per origin, but nothing
     * on chain can see the leaves. Callers that meet two checkpoints of one origin must check
     * that they are consistent (an RFC 6962 consistency proof) whatever their epochs.
     */
    function isAnchored(
        uint64 epoch,
        bytes32 originHash,
        uint64 treeSize,
        bytes32 rootHash,
        bytes32 policyRoot,
        bytes32 assignmentRoot,
        bytes32[] calldata proof
    ) external view returns (bool) {
        bytes32 root = _roots[epoch];
        if (root == bytes32(0)) return false;

        // Hashing the encoded leaf twice keeps a 64-byte inner node from passing as a leaf.
        bytes32 leaf = keccak256(
            bytes.concat(
                keccak256(abi.encode(originHash, treeSize, rootHash, policyRoot, assignmentRoot))
            )
        );
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }
}
