/**
 * Parts the page's test files share, started once per run: the headless browser and a local
 * chain. Each file deploys its own registry on the chain and opens its own tab.
 *
 * The `after` below is declared outside any `describe`, so mocha attaches it to the root
 * suite: it runs once, after every test file, whichever file loaded this module first.
 */
import { HDNodeWallet, JsonRpcProvider } from "ethers";

import { startLocalNode, type LocalNode } from "../../ledger/anchor/local-node";
import { launchBrowser, type TestBrowser } from "./browser";

// Hardhat's documented defaults: chain id 31337, accounts funded from this mnemonic.
export const HARDHAT_CHAIN_ID = 31337;
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** A local chain with a funded wallet. */
export interface TestChain {
  node: LocalNode;
  provider: JsonRpcProvider;
  wallet: HDNodeWallet;
}

let browser: Promise<TestBrowser> | undefined;
let chain: Promise<TestChain> | undefined;

/** The run's browser, launched on first use. */
export function sharedBrowser(): Promise<TestBrowser> {
  browser ??= launchBrowser();
  return browser;
}

/** The run's local chain, started on first use. */
export function sharedChain(): Promise<TestChain> {
  chain ??= (async () => {
    const node = await startLocalNode();
    // Told the chain id and without a result cache, the provider never probes a stopped node
    // and never hands two transactions in a row the same stale nonce.
    const provider = new JsonRpcProvider(node.rpcUrl, HARDHAT_CHAIN_ID, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    const wallet = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC).connect(provider);
    return { node, provider, wallet };
  })();
  return chain;
}

after(async () => {
  const started = await Promise.allSettled([browser, chain]);
  browser = undefined;
  chain = undefined;

  const [b, c] = started.map((s) => (s.status === "fulfilled" ? s.value : undefined)) as [
    TestBrowser | undefined,
    TestChain | undefined,
  ];
  await b?.close();
  c?.provider.destroy();
  await c?.node.stop();
});
