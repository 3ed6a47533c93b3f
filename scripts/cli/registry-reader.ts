/**
 * Reads an anchor registry's public state (its latest epoch and epoch roots) for the
 * commands that compare a store with the chain. Failures become one-line CliErrors.
 */
import { Contract, getAddress, isAddress, JsonRpcProvider } from "ethers";

import { fetchChainId, isAnchorError } from "../../ledger/anchor";
import { REGISTRY_ABI } from "../../ledger/anchor/registry-abi";
import { CliError, oneLine } from "./errors";

/** A registry on one chain. Call `close` when done. */
export interface RegistryReader {
  readonly chainId: number;
  readonly registry: string;
  /** The newest epoch anchored, 0 when none. */
  latestEpoch(): Promise<number>;
  /** The root of `epoch` as 0x hex, all zero when it is not anchored. */
  epochRoot(epoch: number): Promise<string>;
  close(): void;
}

/**
 * Connects to the registry at `registry` through `rpcUrl`.
 *
 * @throws CliError CLI_USAGE for a malformed address or when no contract lives there,
 *   CLI_UNREACHABLE when the endpoint does not answer.
 */
export async function openRegistryReader(
  rpcUrl: string,
  registry: string,
): Promise<RegistryReader> {
  if (!isAddress(registry)) throw new CliError("CLI_USAGE", `${registry} is not an address`);
  let chainId: number;
  try {
    chainId = Number(await fetchChainId(rpcUrl));
  } catch (err) {
    if (!isAnchorError(err)) throw err;
    throw new CliError("CLI_UNREACHABLE", `cannot reach the chain at ${rpcUrl}`, { cause: err });
  }

  const provider = new JsonRpcProvider(rpcUrl, chainId, { staticNetwork: true, cacheTimeout: -1 });
  const address = getAddress(registry);
  const contract = new Contract(address, REGISTRY_ABI as string[], provider);
  const call = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new CliError("CLI_UNREACHABLE", `cannot read ${what} of ${address}: ${oneLine(err)}`, {
        cause: err,
      });
    }
  };

  if ((await call("the code", () => provider.getCode(address))) === "0x") {
    provider.destroy();
    throw new CliError("CLI_USAGE", `no registry at ${address} on chain ${chainId}`);
  }
  return {
    chainId,
    registry: address,
    latestEpoch: async () => Number(await call("latestEpoch", () => contract.latestEpoch())),
    epochRoot: async (epoch) =>
      String(await call("epochRoot", () => contract.epochRoot(epoch))).toLowerCase(),
    close: () => provider.destroy(),
  };
}
