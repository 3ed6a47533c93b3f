/**
 * Reading what the person at the terminal hands a command: files (or "-" for standard
 * input), JSON documents, verifier keys, hashes. Every failure is a one-line CliError that
 * names the file and what was wrong with it.
 */
import { readFileSync } from "node:fs";

import { fromBase64, fromHex } from "../../ledger/verify/bytes";
import { parseVerifierKey } from "../../ledger/verify/note";
import { CliError, oneLine } from "./errors";

/**
 * The text of `path`, or of standard input for "-".
 *
 * @throws CliError CLI_FILE_MISSING when the file cannot be read.
 */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : oneLine(err);
    throw new CliError("CLI_FILE_MISSING", `cannot read ${what} ${path}: ${reason}`, {
      cause: err,
    });
  }
}

/**
 * The JSON document in `path`.
 *
 * @throws CliError CLI_FILE_MISSING, or CLI_BAD_JSON when the text is not JSON.
 */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError("CLI_BAD_JSON", `${what} ${path} is not JSON: ${oneLine(err)}`, {
      cause: err,
    });
  }
}

/**
 * The verifier keys of `--key` values. Each value is either a verifier key
 * ("<name>+<key id>+<base64 key>") or a file holding such keys, one per line.
 *
 * @throws CliError CLI_USAGE when no key was given, CLI_BAD_KEY for a malformed key,
 *   CLI_FILE_MISSING for a value that is neither a key nor a readable file.
 */
export function trustedKeys(values: readonly string[] | undefined): string[] {
  if (values === undefined || values.length === 0) {
    throw new CliError(
      "CLI_USAGE",
      "give the log's verifier key with --key (obtain it out of band)",
    );
  }

  const keys: string[] = [];
  for (const value of values) {
    const lines = looksLikeKey(value)
      ? [value]
      : readText(value, "key file")
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l.length > 0 && !l.startsWith("#"));
    for (const key of lines) {
      try {
        parseVerifierKey(key);
      } catch (err) {
        throw new CliError("CLI_BAD_KEY", `not a verifier key: ${oneLine(err)}`, { cause: err });
      }
      keys.push(key);
    }
  }
  if (keys.length === 0) throw new CliError("CLI_BAD_KEY", "the key file holds no verifier key");
  return keys;
}

function looksLikeKey(value: string): boolean {
  return /^[^\s+]+\+[0-9a-f]{8}\+\S+$/.test(value);
}

/**
 * A 32-byte hash written as hex (with or without 0x) or base64.
 *
 * @throws CliError CLI_BAD_FORMAT naming `what` otherwise.
 */
export function decodeHash(text: unknown, what: string): Uint8Array {
  if (typeof text === "string") {
    if (/^(0x)?[0-9a-fA-F]{64}$/.test(text)) return fromHex(text.replace(/^0x/, ""));
    try {
      const bytes = fromBase64(text);
      if (bytes.length === 32) return bytes;
    } catch {
      // Reported below with the hex alternative.
    }
  }
  throw new CliError("CLI_BAD_FORMAT", `${what} is not a 32-byte hash in hex or base64`);
}

/**
 * A signed checkpoint note from a file holding either the note itself or a JSON object with
 * a `note` member (as GET /v1/checkpoint answers).
 *
 * @throws CliError CLI_FILE_MISSING, CLI_BAD_JSON, or CLI_BAD_FORMAT.
 */
export function readCheckpointNote(path: string, what: string): string {
  const text = readText(path, what);
  if (!text.trimStart().startsWith("{")) return text;

  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CliError("CLI_BAD_JSON", `${what} ${path} is not JSON: ${oneLine(err)}`);
  }
  const note = (doc as { note?: unknown }).note;
  if (typeof note !== "string") {
    throw new CliError(
      "CLI_BAD_FORMAT",
      `${what} ${path} has no "note" with the signed checkpoint`,
    );
  }
  return note;
}
