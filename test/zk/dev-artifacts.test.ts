import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";

import { expect } from "chai";

import { REPO_ROOT } from "../../circuits/scripts/compile-circuit";
import { DEV_PARAMS, releaseProverThreads, snarkjs } from "../../ledger/zk";
import {
  DEV_SETUP_DIR,
  devSetupFiles,
  loadDevVerificationKey,
} from "../../ledger/zk/dev-artifacts";
import { builtFile, compileDevCircuit } from "./dev-build";

interface Manifest {
  params: typeof DEV_PARAMS;
  constraints: number;
  files: Record<string, string>;
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const STEM = `compliance-window-${DEV_PARAMS.name}`;

describe("zk shipped development setup", function () {
  this.timeout(120_000);

  const files = devSetupFiles();
  let manifest: Manifest;

  before(() => {
    manifest = JSON.parse(readFileSync(files.manifest, "utf8")) as Manifest;
  });

  after(() => releaseProverThreads());

  it("is built for the dev parameters", () => {
    expect(manifest.params).to.deep.equal(DEV_PARAMS);
  });

  it("ships files whose SHA-256 match the manifest", () => {
    for (const name of [`${STEM}.wasm`, `${STEM}.zkey`, `${STEM}.vkey.json`]) {
      expect(sha256(path.join(DEV_SETUP_DIR, name)), name).to.equal(manifest.files[name]);
    }
    const verifier = "contracts/generated/ComplianceDevVerifier.sol";
    expect(sha256(path.join(REPO_ROOT, verifier))).to.equal(manifest.files[verifier]);
  });

  it("matches the circuit sources: a fresh compile gives the same r1cs, wasm and sym", async () => {
    const compiled = await compileDevCircuit();

    expect(compiled.constraints).to.equal(manifest.constraints);
    expect(sha256(builtFile(compiled.r1cs))).to.equal(manifest.files[`${STEM}.r1cs`]);
    expect(sha256(builtFile(compiled.wasm))).to.equal(manifest.files[`${STEM}.wasm`]);
    expect(sha256(builtFile(compiled.sym))).to.equal(manifest.files[`${STEM}.sym`]);
  });

  it("ships the verification key of the shipped proving key", async () => {
    const fromZkey = await snarkjs.zKey.exportVerificationKey(files.zkey);

    expect(loadDevVerificationKey()).to.deep.equal(JSON.parse(JSON.stringify(fromZkey)));
  });

  it("is documented: the README lists every hash and says it is INSECURE", () => {
    const readme = readFileSync(path.join(DEV_SETUP_DIR, "README.md"), "utf8");

    expect(readme).to.match(/\bINSECURE\b/);
    for (const [name, hash] of Object.entries(manifest.files)) {
      expect(readme, name).to.include(hash);
    }
  });

  it("stays under 20 MB in total", () => {
    const total = readdirSync(DEV_SETUP_DIR)
      .map((name) => statSync(path.join(DEV_SETUP_DIR, name)).size)
      .reduce((a, b) => a + b, 0);

    expect(total).to.be.below(20 * 1024 * 1024);
  });
});
