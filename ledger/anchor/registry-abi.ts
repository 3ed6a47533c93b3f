/**
 * The part of the AnchorRegistry ABI that anchoring and verifying use, written out so that
 * neither needs the compiled artifact (a browser has no file system). It must match
 * contracts/IAnchorRegistry.sol; the worker's tests run it against the compiled contract.
 */
export const REGISTRY_ABI: readonly string[] = Object.freeze([
  "function anchor(uint64 epoch, bytes32 root)",
  "function epochRoot(uint64 epoch) view returns (bytes32)",
  "function latestEpoch() view returns (uint64)",
  "event EpochAnchored(uint64 indexed epoch, bytes32 root)",
  "error AnchorRegistryZeroRoot(uint64 epoch)",
  "error AnchorRegistryEpochNotIncreasing(uint64 epoch, uint64 latest)",
  "error AnchorRegistryEpochSkipped(uint64 epoch, uint64 expected)",
  "error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)",
]);
