import { AnchorError } from "./errors";

/**
 * Asks the JSON-RPC endpoint at `rpcUrl` for its chain id (`eth_chainId`), once, without
 * retrying. Uses only `fetch`, so it runs in browsers too.
 *
 * Throws an ANCHOR_CHAIN_UNREACHABLE AnchorError, with the underlying error as cause, when
 * the endpoint cannot be reached or does not answer with a chain id.
 */
export async function fetchChainId(rpcUrl: string): Promise<bigint> {
  let body: { result?: unknown };
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    body = (await response.json()) as { result?: unknown };
  } catch (cause) {
    throw new AnchorError("ANCHOR_CHAIN_UNREACHABLE", { rpcUrl }, { cause });
  }

  if (typeof body.result !== "string" || !/^0x[0-9a-fA-F]+$/.test(body.result)) {
    throw new AnchorError("ANCHOR_CHAIN_UNREACHABLE", { rpcUrl });
  }
  return BigInt(body.result);
}
