/**
 * `anchorlog backup`, `restore` and `fsck` as the real binary against real data folders:
 * a backup taken through the running service while appends go on restores into a fresh
 * folder that fsck finds clean; damaged backups and stores are refused or reported.
 */
import { expect } from "chai";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../../ledger";
import { openLevelStore } from "../../ledger/store/level-store";
import { logKeys } from "../../ledger/store/keys";
import { sampleEvent, tempDir } from "../helpers/temp-ledger";
import { appendEvents, openDataDir, runCli, serve, type CliRun, type Served } from "./cli-harness";

/** Copies the key files of one data folder into another, as an operator would. */
function copyKeys(from: string, to: string): void {
  mkdirSync(join(to, "keys"), { recursive: true, mode: 0o700 });
  for (const name of ["master.key", "signing.key"]) {
    copyFileSync(join(from, "keys", name), join(to, "keys", name));
  }
}

describe("anchorlog backup, restore and fsck", function () {
  this.timeout(180_000);

  const dirs: { dir: string; cleanup: () => void }[] = [];
  const newDir = () => {
    const d = tempDir("anchorlog-cli-backup-");
    dirs.push(d);
    return d.dir;
  };
  let live: string;
  let ledger: Ledger;
  let served: Served;
  let backupFile: string;
  let backup: CliRun;
  let appendedDuring = 0;

  before(async () => {
    live = newDir();
    ledger = await openDataDir(live);
    await ledger.createTenant("acme");
    await ledger.createTenant("globex");
    await appendEvents(ledger, "acme", 300);
    await appendEvents(ledger, "globex", 20);
    served = await serve(ledger);
    backupFile = join(newDir(), "store.backup");

    // Appends keep arriving, one durable batch after another, while the backup streams.
    let appending = true;
    const appends = (async () => {
      for (let i = 0; appending; i++) {
        await ledger.appendBatch("acme", [sampleEvent(1000 + i), sampleEvent(2000 + i)]);
        appendedDuring += 2;
      }
    })();
    backup = await runCli(["--json", "backup", "--out", backupFile, "--url", served.url], {
      env: { ANCHORLOG_ADMIN_KEY: served.adminKey },
    });
    appending = false;
    await appends;
  });

  after(async () => {
    await served.close();
    await ledger.close();
    for (const d of dirs) d.cleanup();
  });

  it("backs up through the service while appends go on, with each tenant's checkpoint", () => {
    const { header } = backup.json();

    expect(backup.status, backup.stderr).to.equal(0);
    expect(appendedDuring).to.be.greaterThan(0);
    expect(header.format).to.equal("anchorlog-backup/v1");
    const acme = header.tenants.find((t: { id: string }) => t.id === "acme");
    const globex = header.tenants.find((t: { id: string }) => t.id === "globex");
    expect(globex).to.include({ size: 20 });
    // A snapshot holds whole batches: 300 first, then pairs.
    expect(acme.size)
      .to.be.at.least(300)
      .and.at.most(300 + appendedDuring);
    expect((acme.size - 300) % 2).to.equal(0);
    expect(header.anchored).to.equal(null);
  });

  it("restores into a fresh data folder that fsck then finds clean", async () => {
    const target = newDir();
    copyKeys(live, target);

    const restored = await runCli(["--json", "restore", backupFile, "--data-dir", target]);
    const fsck = await runCli(["--json", "fsck", "--data-dir", target]);

    expect(restored.status, restored.stderr).to.equal(0);
    expect(restored.json().restored).to.equal(backup.json().header.records);
    expect(fsck.status, fsck.stderr).to.equal(0);
    const report = fsck.json();
    expect(report.ok).to.equal(true);
    const sizes = Object.fromEntries(
      report.tenants.map((t: { tenant: string; leavesChecked: number }) => [
        t.tenant,
        t.leavesChecked,
      ]),
    );
    const header = backup.json().header;
    for (const t of header.tenants) expect(sizes[t.id], t.id).to.equal(t.size);
  });

  it("backs up a stopped store with --data-dir, and restores over it keeping the old one", async () => {
    const target = newDir();
    copyKeys(live, target);
    await runCli(["restore", backupFile, "--data-dir", target]);
    const again = join(target, "again.backup");

    const copy = await runCli(["--json", "backup", "--out", again, "--data-dir", target]);
    const replaced = await runCli(["--json", "restore", again, "--data-dir", target]);

    expect(copy.status, copy.stderr).to.equal(0);
    expect(copy.json().header.tenants).to.deep.equal(backup.json().header.tenants);
    expect(replaced.status, replaced.stderr).to.equal(0);
    expect(replaced.json().replaced).to.match(/db\.replaced-/);
  });

  it("refuses a truncated or edited backup before writing anything (exit 2)", async () => {
    const lines = readFileSync(backupFile, "utf8").trimEnd().split("\n");
    const cut = join(newDir(), "cut.backup");
    writeFileSync(cut, lines.slice(0, -1).join("\n") + "\n");
    const edited = join(newDir(), "edited.backup");
    const record = JSON.parse(lines[5]) as [string, string];
    const changed = [record[0], Buffer.from("tampered").toString("base64")];
    writeFileSync(
      edited,
      [...lines.slice(0, 5), JSON.stringify(changed), ...lines.slice(6)].join("\n") + "\n",
    );
    const target = newDir();
    copyKeys(live, target);

    const [truncated, tampered] = await Promise.all([
      runCli(["restore", cut, "--data-dir", target]),
      runCli(["restore", edited, "--data-dir", target]),
    ]);

    expect(truncated.status).to.equal(2);
    expect(truncated.stderr).to.match(/no trailer: the backup is truncated/);
    expect(tampered.status).to.equal(2);
    expect(tampered.stderr).to.match(/digest [0-9a-f]{64} is not the trailer's/);
    expect(existsSync(join(target, "db"))).to.equal(false);
  });

  it("reports a leaf changed in storage as damage (exit 1), wherever it lies", async () => {
    const target = newDir();
    copyKeys(live, target);
    await runCli(["restore", backupFile, "--data-dir", target]);
    // acme's leaf 7 lies in a full tile, which only the full re-derivation reads; globex's
    // lies in the rightmost tile, which opening the ledger already checks.
    const flipLeaf = async (tenant: string) => {
      const store = await openLevelStore(join(target, "db"));
      const key = logKeys(tenant).leaf(7);
      const leaf = (await store.get(key))!;
      leaf[30] ^= 1;
      await store.batch([{ type: "put", key, value: leaf }], { sync: true });
      await store.close();
    };

    await flipLeaf("acme");
    const rederived = await runCli(["--json", "fsck", "--data-dir", target]);
    await flipLeaf("globex");
    const unopened = await runCli(["--json", "fsck", "--data-dir", target]);

    expect(rederived.status, rederived.stderr).to.equal(1);
    const byTenant = (run: CliRun, id: string) =>
      run.json().tenants.find((t: { tenant: string }) => t.tenant === id);
    expect(byTenant(rederived, "acme").problems.join("\n")).to.match(
      /tile: t\/acme\/tile\/0\/0+ differs/,
    );
    expect(byTenant(rederived, "globex").problems).to.deep.equal([]);
    expect(unopened.status).to.equal(1);
    expect(unopened.json().problems[0]).to.match(/does not open: .*\[LEDGER_STORE_DAMAGED\]/);
  });

  it("refuses to read a store the service holds open, and a tenant key's backup", async () => {
    const readKey = await served.tenantKey("acme", ["read"]);
    const [fsck, offline, tenantBackup] = await Promise.all([
      runCli(["fsck", "--data-dir", live]),
      runCli(["backup", "--out", join(newDir(), "x"), "--data-dir", live]),
      runCli(["backup", "--out", join(newDir(), "y"), "--url", served.url, "--admin-key", readKey]),
    ]);

    expect(fsck.status).to.equal(2);
    expect(fsck.stderr).to.match(/is in use: stop the service first/);
    expect(offline.status).to.equal(2);
    expect(tenantBackup.status).to.equal(1);
    expect(tenantBackup.stderr).to.match(/403 .*\[API_FORBIDDEN\]/);
  });
});
