/**
 * Opens real LevelDB-backed ledgers in temporary folders for tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Ledger, LedgerOptions } from "../../ledger";

/** Fixed test keys: tests that reopen a store must use the same ones. */
export const TEST_MASTER_KEY = new Uint8Array(32).fill(7);
export const TEST_SIGNING_SEED = new Uint8Array(32).fill(9);
export const TEST_ORIGIN_PREFIX = "test.anchorlog.dev/log";

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = "anchorlog-test-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a ledger at `dir` with the test keys. */
export function openTestLedger(dir: string, opts: Partial<LedgerOptions> = {}): Promise<Ledger> {
  return Ledger.open({
    path: join(dir, "db"),
    masterKey: TEST_MASTER_KEY,
    signingSeed: TEST_SIGNING_SEED,
    originPrefix: TEST_ORIGIN_PREFIX,
    ...opts,
  });
}

/** A valid audit event, numbered so each is distinct. */
export function sampleEvent(i: number, overrides: Record<string, unknown> = {}) {
  return {
    actor: `user-${i % 7}`,
    action: i % 3 === 0 ? "read" : "write",
    resource: `doc/${i}`,
    resourceClass: "document",
    timestamp: "2026-12-03T13:05:44Z",
    attributes: { ip: "10.0.0.1", n: i },
    ...overrides,
  };
}
