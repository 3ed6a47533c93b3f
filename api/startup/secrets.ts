/**
 * The server's key files under the data folder, created on first start and reused after:
 *
 *   <dataDir>/keys/            mode 0700
 *   <dataDir>/keys/master.key  32-byte key wrapping every tenant's data key (hex), mode 0600
 *   <dataDir>/keys/signing.key 32-byte Ed25519 seed signing every checkpoint (hex), mode 0600
 *
 * A key file or folder that others can read is refused rather than used: its secrecy can
 * no longer be assumed. Losing master.key makes every event unreadable; losing signing.key
 * forces a new verifier key on every auditor. Back both up.
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

import { ConfigError } from "./config-error";

/** The two long-term secrets of a server. */
export interface ServerSecrets {
  masterKey: Uint8Array;
  signingSeed: Uint8Array;
  /** Paths of the files created by this call (empty when all were reused). */
  created: string[];
}

/** The folder holding the key files of `dataDir`. */
export function keysDir(dataDir: string): string {
  return join(dataDir, "keys");
}

/**
 * Loads the master key and signing seed of `dataDir`, creating the folders and files that
 * do not exist yet.
 *
 * @throws ConfigError when a file is malformed or readable by others.
 */
export function loadOrCreateSecrets(dataDir: string): ServerSecrets {
  const dir = ensurePrivateDir(dataDir);
  const created: string[] = [];

  const masterKey = loadOrCreateKey(join(dir, "master.key"), created);
  const signingSeed = loadOrCreateKey(join(dir, "signing.key"), created);
  return { masterKey, signingSeed, created };
}

/**
 * Creates `<dataDir>` (0700 when new) and `<dataDir>/keys` (0700), and checks the latter is
 * private. Returns the keys folder.
 */
export function ensurePrivateDir(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const dir = keysDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  checkPrivate(dir, "folder");
  return dir;
}

/**
 * Writes `text` to a new file at `path` readable only by the owner. An existing file is
 * replaced, never reused, so its old permissions cannot leak the new content.
 */
export function writePrivateFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.new`;
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  // Atomic on POSIX file systems: readers see the old file or the new one, never half.
  renameSync(tmp, path);
}

function loadOrCreateKey(path: string, created: string[]): Uint8Array {
  let text: string;
  try {
    checkPrivate(path, "file");
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    const key = randomBytes(32);
    writePrivateFile(path, `${key.toString("hex")}\n`);
    created.push(path);
    return key;
  }

  if (!/^[0-9a-f]{64}\n?$/.test(text)) {
    throw new ConfigError(`${path} does not hold 64 hex digits; restore it from your backup`);
  }
  return Buffer.from(text.trim(), "hex");
}

function checkPrivate(path: string, what: "file" | "folder"): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    const want = what === "file" ? "600" : "700";
    throw new ConfigError(
      `${path} is accessible by others (mode ${mode.toString(8)}); run chmod ${want} on it`,
    );
  }
}
