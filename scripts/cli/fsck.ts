/**
 * `anchorlog fsck --data-dir <dir>`: the offline check of a stopped service's store. It
 * re-derives every tenant's tree from its leaves and compares every stored tile and signed
 * checkpoint (Ledger.checkLog), then checks every confirmed epoch the store recorded: that
 * its leaves are the tenants' signed checkpoints, that they hash to the epoch root, that
 * each tenant's epoch proof leads there, and with `--rpc` that the registry holds that root.
 */
import {
  isAnchorError,
  readEpochRootFromChain,
  type ChainEpochRootReader,
} from "../../ledger/anchor";
import {
  decodeLeaves,
  decodeTenantAnchor,
  leavesKey,
  tenantAnchorKey,
  type EpochRecord,
} from "../../ledger/anchor/anchor-records";
import {
  checkpointCommitment,
  type CheckpointCommitment,
} from "../../ledger/anchor/checkpoint-commitment";
import { buildEpochTree } from "../../ledger/anchor/epoch-tree";
import { computeEpochRoot } from "../../ledger/anchor/verify-epoch-proof";
import { LedgerError } from "../../ledger/errors";
import type { Ledger } from "../../ledger/ledger";
import type { KvStore } from "../../ledger/store/kv-store";
import { fromUtf8, toHex } from "../../ledger/verify/bytes";
import { parseCheckpoint } from "../../ledger/verify/checkpoint";
import { parseNote } from "../../ledger/verify/note";
import { confirmedEpochs } from "./anchor-view";
import { openLedgerOn, openStore, readSecrets, storePath } from "./data-dir";
import { EXIT, oneLine } from "./errors";
import { report, shortHash, type Output } from "./output";
import { startProgress } from "./progress";

/** Options of {@link runFsck}. */
export interface FsckOptions {
  readonly dataDir: string;
  readonly rpc?: string;
}

/** What fsck found about one tenant's log. */
export interface TenantFsck {
  readonly tenant: string;
  readonly size: number;
  readonly leavesChecked: number;
  readonly tilesChecked: number;
  readonly checkpointsChecked: number;
  readonly problems: string[];
}

/** What fsck found about the anchors. */
export interface AnchorFsck {
  readonly epochsChecked: number;
  readonly checkedOnChain: number;
  /** Epochs whose chain root was not read: no --rpc, or the endpoint serves another chain. */
  readonly notCheckedOnChain: number;
  readonly problems: string[];
}

/**
 * Checks the store of `opts.dataDir` and prints what it found. Resolves with 0 when sound,
 * 1 when anything disagrees, 2 when the chain could not be reached.
 *
 * @throws CliError for missing key files, a store in use or missing.
 */
export async function runFsck(opts: FsckOptions, out: Output): Promise<number> {
  const secrets = readSecrets(opts.dataDir);
  const store = await openStore(storePath(opts.dataDir));
  let reader: ChainEpochRootReader | undefined;

  let ledger: Ledger;
  try {
    ledger = await openLedgerOn(store, secrets);
  } catch (err) {
    await store.close();
    if (!(err instanceof LedgerError)) throw err;
    const problem = `the store does not open: ${oneLine(err)} [${err.code}]`;
    report(out, { ok: false, problems: [problem], tenants: [], anchors: undefined }, () => [
      `DAMAGED: ${problem}`,
    ]);
    return EXIT.failed;
  }

  try {
    reader = opts.rpc === undefined ? undefined : readEpochRootFromChain(opts.rpc);
    const tenants = await checkTenants(ledger);
    const { anchors, unreachable } = await checkAnchors(ledger, store, reader);

    const ok = tenants.every((t) => t.problems.length === 0) && anchors.problems.length === 0;
    report(out, { ok, tenants, anchors }, () => humanLines(ok, unreachable, tenants, anchors));
    if (!ok) return EXIT.failed;
    return unreachable ? EXIT.usage : EXIT.ok;
  } finally {
    reader?.destroy();
    await ledger.close();
    await store.close();
  }
}

async function checkTenants(ledger: Ledger): Promise<TenantFsck[]> {
  const tenants = ledger.listTenants();
  const total = tenants.reduce((sum, t) => sum + ledger.checkpoint(t.id).size, 0);
  const progress = startProgress("checking logs", total);

  const out: TenantFsck[] = [];
  let before = 0;
  try {
    for (const t of tenants) {
      const r = await ledger.checkLog(t.id, (n) => progress.update(before + n));
      before += r.size;
      out.push({
        tenant: t.id,
        size: r.size,
        leavesChecked: r.leavesChecked,
        tilesChecked: r.tilesChecked,
        checkpointsChecked: r.checkpointsChecked,
        problems: r.problems.map((p) => `${p.what}: ${p.detail}`),
      });
    }
  } finally {
    progress.stop();
  }
  return out;
}

async function checkAnchors(
  ledger: Ledger,
  store: KvStore,
  reader: ChainEpochRootReader | undefined,
): Promise<{ anchors: AnchorFsck; unreachable: boolean }> {
  const problems: string[] = [];
  let checkedOnChain = 0;
  let notCheckedOnChain = 0;
  let unreachable = false;
  const epochs = await confirmedEpochs(store);

  for (const record of epochs) {
    const name = `epoch ${record.epoch} (record ${record.seq}, chain ${record.chainId})`;
    const found = await checkEpoch(ledger, store, record);
    problems.push(...found.map((p) => `${name}: ${p}`));

    if (reader === undefined) {
      notCheckedOnChain++;
      continue;
    }
    try {
      const onChain = await reader(record.chainId, record.registry, record.epoch);
      checkedOnChain++;
      if (onChain !== record.root) {
        problems.push(`${name}: the registry holds ${onChain}, the store recorded ${record.root}`);
      }
    } catch (err) {
      if (isAnchorError(err, "ANCHOR_WRONG_CHAIN")) {
        notCheckedOnChain++;
      } else if (isAnchorError(err, "ANCHOR_CHAIN_UNREACHABLE")) {
        notCheckedOnChain++;
        unreachable = true;
      } else {
        problems.push(`${name}: ${oneLine(err)}`);
      }
    }
  }

  const anchors = { epochsChecked: epochs.length, checkedOnChain, notCheckedOnChain, problems };
  return { anchors, unreachable };
}

// The leaves an epoch covered must be signed checkpoints of the logs, hash to the epoch
// root, and every tenant entry's epoch proof (which receipts copy) must lead to that root.
async function checkEpoch(ledger: Ledger, store: KvStore, record: EpochRecord): Promise<string[]> {
  const raw = await store.get(leavesKey(record.seq));
  if (raw === undefined) return ["its leaves are missing"];
  let leaves;
  try {
    leaves = decodeLeaves(fromUtf8(raw));
  } catch (err) {
    return [`its leaves cannot be read: ${oneLine(err)}`];
  }

  const problems: string[] = [];
  const checked: { tenant: string; commitment: CheckpointCommitment }[] = [];
  for (const leaf of leaves) {
    const what = `${leaf.tenant} at size ${leaf.treeSize}`;
    if (ledger.getTenant(leaf.tenant) === undefined) {
      problems.push(`${what}: no such tenant in the store`);
      continue;
    }
    const note = await ledger.checkpointAt(leaf.tenant, leaf.treeSize);
    if (note === undefined) {
      problems.push(`${what}: no signed checkpoint of that size`);
      continue;
    }
    const cp = parseCheckpoint(parseNote(note).text);
    const root = `0x${toHex(cp.rootHash)}`;
    if (cp.origin !== leaf.origin || root !== leaf.rootHash) {
      problems.push(
        `${what}: anchored root ${shortHash(leaf.rootHash)}, signed ${shortHash(root)}`,
      );
    }
    const commitment = checkpointCommitment({
      origin: cp.origin,
      treeSize: cp.size,
      rootHash: cp.rootHash,
      policyRoot: leaf.policyRoot,
      assignmentRoot: leaf.assignmentRoot,
    });
    checked.push({ tenant: leaf.tenant, commitment });
  }
  if (checked.length === 0) return [...problems, "no leaf could be checked"];

  const root = buildEpochTree(checked.map((c) => c.commitment)).root;
  if (root !== record.root) {
    problems.push(`the signed checkpoints give epoch root ${root}, recorded ${record.root}`);
  }
  for (const { tenant, commitment } of checked) {
    const key = tenantAnchorKey(tenant, Number(commitment.treeSize), record.seq);
    const raw = await store.get(key);
    // Retired or superseded entries are removed; receipts cannot use what is not there.
    if (raw === undefined) continue;
    try {
      const { proof } = decodeTenantAnchor(key, fromUtf8(raw));
      if (computeEpochRoot(commitment, proof) !== record.root) {
        problems.push(`${tenant}'s epoch proof does not lead to the epoch root`);
      }
    } catch (err) {
      problems.push(`${tenant}'s epoch proof is malformed: ${oneLine(err)}`);
    }
  }
  return problems;
}

function humanLines(
  ok: boolean,
  unreachable: boolean,
  tenants: readonly TenantFsck[],
  anchors: AnchorFsck,
): string[] {
  const lines: string[] = [];
  for (const t of tenants) {
    const verdict = t.problems.length === 0 ? "ok    " : "FAILED";
    lines.push(
      `${verdict}  ${t.tenant}: ${t.leavesChecked} leaves, ${t.tilesChecked} tiles, ` +
        `${t.checkpointsChecked} checkpoints re-derived`,
    );
    for (const p of t.problems) lines.push(`        ${p}`);
  }
  const chain =
    anchors.checkedOnChain > 0
      ? `, ${anchors.checkedOnChain} checked on chain`
      : ", chain not checked";
  lines.push(
    `${anchors.problems.length === 0 ? "ok    " : "FAILED"}  anchors: ` +
      `${anchors.epochsChecked} confirmed epochs${chain}`,
  );
  for (const p of anchors.problems) lines.push(`        ${p}`);
  if (!ok) lines.push("DAMAGED: the store disagrees with itself or with the chain");
  else if (unreachable) lines.push("NOT DECIDED: the chain could not be reached");
  else lines.push("CLEAN");
  return lines;
}
