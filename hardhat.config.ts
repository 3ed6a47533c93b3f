import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { subtask } from "hardhat/config";
import type { HardhatUserConfig } from "hardhat/types";
import { version as installedSolc } from "solc/package.json";

import "@nomicfoundation/hardhat-ethers";
import "@nomicfoundation/hardhat-chai-matchers";

/**
 * The one Solidity compiler the project builds with: the `solc` npm package pinned in
 * package.json. The commit hash is the one solc 0.8.30 reports for itself; Hardhat records
 * it in build info files.
 */
const SOLC_VERSION = "0.8.30";
const SOLC_LONG_VERSION = "0.8.30+commit.73712a01";

// Hardhat would otherwise fetch a compiler list and a native solc build from the network.
// Compiling must work offline and give the same bytecode everywhere, so every compile runs
// the WebAssembly build shipped inside the installed `solc` package.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION || installedSolc !== SOLC_VERSION) {
    throw new Error(
      `solc ${args.solcVersion} was requested and solc ${installedSolc} is installed; ` +
        `this project compiles only with the solc ${SOLC_VERSION} npm package`,
    );
  }

  return {
    version: SOLC_VERSION,
    longVersion: SOLC_LONG_VERSION,
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
  };
});

/**
 * Block production of a local node, from the environment: `ANCHORLOG_MINING_INTERVAL_MS`
 * (a positive whole number) adds a block every that many milliseconds, so confirmations
 * arrive without traffic; `ANCHORLOG_AUTOMINE=false` stops mining a block per transaction,
 * so transactions wait for the next interval block as on a public chain. Neither set leaves
 * Hardhat's default: one block per transaction, none otherwise. `startLocalNode` sets them.
 * Throws when a value is malformed: a node mining other than asked would mislead a benchmark.
 */
function miningFromEnv(env: NodeJS.ProcessEnv): { mining?: { auto: boolean; interval: number } } {
  const interval = env.ANCHORLOG_MINING_INTERVAL_MS;
  const auto = env.ANCHORLOG_AUTOMINE;
  if (interval === undefined && auto === undefined) return {};

  if (interval !== undefined && !/^[1-9][0-9]{0,8}$/.test(interval)) {
    throw new Error(
      `ANCHORLOG_MINING_INTERVAL_MS must be a positive whole number, got ${interval}`,
    );
  }
  if (auto !== undefined && auto !== "true" && auto !== "false") {
    throw new Error(`ANCHORLOG_AUTOMINE must be true or false, got ${auto}`);
  }

  // Hardhat turns automine off whenever an interval is given alone, so both are explicit.
  return { mining: { auto: auto !== "false", interval: Number(interval ?? 0) } };
}

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // Tuned for calls, not deployment size: anchors run once per epoch for years.
      optimizer: { enabled: true, runs: 10_000 },
      evmVersion: "prague",
      // The IR pipeline folds AnchorRegistry's role check into one hash: an anchor costs
      // 50,270 gas against 50,395 with the legacy pipeline (measured on Hardhat, osaka).
      viaIR: true,
    },
  },
  networks: {
    hardhat: {
      // Pinned so gas figures in tests and benchmarks do not move with Hardhat's default.
      hardfork: "osaka",
      ...miningFromEnv(process.env),
    },
    localhost: {
      url: "http://127.0.0.1:8545",
    },
  },
};

export default config;
