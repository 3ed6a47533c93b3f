// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

/**
 * @dev Gas baseline for the anchor benchmark: writes one bytes32 into a fresh slot and emits
 * one event, with the same calldata shape as {AnchorRegistry-anchor} and no checks at all.
 * Nothing may anchor for less, so it is the floor the registry is measured against.
 *
 * WARNING: Test fixture only. Anyone may write any key, any number of times.
 */
contract BaselineStore {
    mapping(uint64 key => bytes32 value) private _values;

    /**
     * @dev Emitted when `value` is stored under `key`.
     */
    event Stored(uint64 indexed key, bytes32 value);

    /**
     * @dev Stores `value` under `key` and emits {Stored}.
     */
    function store(uint64 key, bytes32 value) external {
        _values[key] = value;
        emit Stored(key, value);
    }
}
