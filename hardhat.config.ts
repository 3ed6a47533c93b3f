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
    },
    localhost: {
      url: "http://127.0.0.1:8545",
    },
  },
};

export default config;
