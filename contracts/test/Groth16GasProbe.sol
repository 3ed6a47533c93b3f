// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @dev Benchmark fixture: measures what a contract pays for one call to a Groth16 verifier,
 * the way {ComplianceVerifier} calls it, so its share of an attestation's gas can be told
 * apart from the rest.
 *
 * WARNING: Test fixture only; the figure includes the cold access to the verifier's account.
 */
contract Groth16GasProbe {
    /**
     * @dev Sends `data` (selector and ABI-encoded arguments) to `verifier` with a static call
     * and returns whether it answered true, with the gas the call consumed.
     */
    function measure(
        address verifier,
        bytes calldata data
    ) external view returns (bool accepted, uint256 gasUsed) {
        uint256 before = gasleft();
        (bool ok, bytes memory answer) = verifier.staticcall(data);
        gasUsed = before - gasleft();
        accepted = ok && answer.length == 32 && abi.decode(answer, (uint256)) == 1;
    }
}
