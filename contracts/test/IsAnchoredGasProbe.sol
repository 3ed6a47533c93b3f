// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {IAnchorRegistry} from "../IAnchorRegistry.sol";

/**
 * @dev Benchmark fixture: measures what a contract pays to check a checkpoint against an
 * anchored epoch, the way an on-chain verifier would, without the transaction's base cost
 * and calldata floor that dominate a direct `eth_estimateGas` of {IAnchorRegistry-isAnchored}.
 *
 * WARNING: Test fixture only; the figure includes the cold access to the registry's account.
 */
contract IsAnchoredGasProbe {
    /**
     * @dev Calls `registry.isAnchored` with the given arguments and returns its answer with
     * the gas the call consumed, as seen by this caller.
     */
    function measure(
        IAnchorRegistry registry,
        uint64 epoch,
        bytes32 originHash,
        uint64 treeSize,
        bytes32 rootHash,
        bytes32 policyRoot,
        bytes32 assignmentRoot,
        bytes32[] calldata proof
    ) external view returns (bool anchored, uint256 gasUsed) {
        uint256 before = gasleft();
        anchored = registry.isAnchored(
            epoch,
            originHash,
            treeSize,
            rootHash,
            policyRoot,
            assignmentRoot,
            proof
        );
        gasUsed = before - gasleft();
    }
}
