/**
 * C2SP signed notes with Ed25519 (signature type 0x01): parsing, signing and verification.
 *
 * A note is UTF-8 text ending in a newline, then an empty line, then one or more signature
 * lines "— <key name> <base64(key ID || signature)>". The key ID is the first four bytes of
 * SHA-256(key name || 0x0A || 0x01 || public key). A verifier key is written
 * "<name>+<key ID hex>+<base64(0x01 || public key)>"; a signer key carries the 32-byte seed
 * instead, prefixed "PRIVATE+KEY+".
 */
import { ed25519 } from "@noble/curves/ed25519";

import { LedgerError } from "../errors";
import { bytesEqual, concatBytes, fromBase64, fromUtf8, toBase64, toHex, utf8 } from "./bytes";
import { sha256Bytes } from "./hash";

const ALG_ED25519 = 0x01;
const SIG_PREFIX = "\u2014 ";
/** The most signature lines a note may carry; more is treated as hostile input. */
export const MAX_NOTE_SIGNATURES = 100;

/** A public key that can check one signer's signatures. */
export interface NoteVerifier {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

/** A private key that signs notes under a name. */
export interface NoteSigner extends NoteVerifier {
  sign(message: Uint8Array): Uint8Array;
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  signature: Uint8Array;
}

/** A note split into its text and its signature lines. */
export interface ParsedNote {
  text: string;
  signatures: NoteSignature[];
}

/** Computes a key ID: SHA-256(name || "\n" || 0x01 || publicKey)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const digest = sha256Bytes(
    concatBytes(utf8(name), utf8("\n"), Uint8Array.of(ALG_ED25519), publicKey),
  );
  return digest.slice(0, 4);
}

/** Formats a verifier key line for `name` and an Ed25519 public key. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  checkKeyName(name, "LEDGER_BAD_VERIFIER_KEY");

  const keyId = noteKeyId(name, publicKey);
  return `${name}+${toHex(keyId)}+${toBase64(concatBytes(Uint8Array.of(ALG_ED25519), publicKey))}`;
}

/**
 * Parses a verifier key "<name>+<hex key ID>+<base64(0x01 || key)>" and checks that its key ID
 * matches its name and key.
 *
 * @throws LedgerError LEDGER_BAD_VERIFIER_KEY for any malformed part.
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  // Base64 may itself contain '+', so only the first two are separators.
  const parts = splitPlus(vkey, 3);
  if (parts === undefined) throw badKey("LEDGER_BAD_VERIFIER_KEY", "expected name+id+key", vkey);

  const [name, idHex, keyB64] = parts;
  checkKeyName(name, "LEDGER_BAD_VERIFIER_KEY");
  const key = decodeKey(keyB64, "LEDGER_BAD_VERIFIER_KEY", vkey);
  const keyId = noteKeyId(name, key);
  if (!/^[0-9a-f]{8}$/.test(idHex) || idHex !== toHex(keyId)) {
    throw badKey("LEDGER_BAD_VERIFIER_KEY", "key ID does not match name and key", vkey);
  }
  return { name, keyId, publicKey: key };
}

/**
 * Parses a signer key "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>" into a signer.
 *
 * @throws LedgerError LEDGER_BAD_SIGNER_KEY for any malformed part. The message never
 *   includes the key itself.
 */
export function parseSignerKey(skey: string): NoteSigner {
  const parts = splitPlus(skey, 5);
  if (parts === undefined || parts[0] !== "PRIVATE" || parts[1] !== "KEY") {
    throw new LedgerError("LEDGER_BAD_SIGNER_KEY", "signer key: expected PRIVATE+KEY+name+id+key");
  }

  const [, , name, idHex] = parts;
  checkKeyName(name, "LEDGER_BAD_SIGNER_KEY");
  const seed = decodeKey(parts[4], "LEDGER_BAD_SIGNER_KEY", "");
  const signer = signerFromSeed(name, seed);
  if (idHex !== toHex(signer.keyId)) {
    throw new LedgerError("LEDGER_BAD_SIGNER_KEY", "signer key: key ID does not match", { name });
  }
  return signer;
}

/** Builds a note signer from a 32-byte Ed25519 seed. */
export function signerFromSeed(name: string, seed: Uint8Array): NoteSigner {
  checkKeyName(name, "LEDGER_BAD_SIGNER_KEY");
  if (seed.length !== 32) {
    throw new LedgerError(
      "LEDGER_BAD_SIGNER_KEY",
      `signer seed: expected 32 bytes, got ${seed.length}`,
    );
  }

  const publicKey = ed25519.getPublicKey(seed);
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey,
    sign: (message) => ed25519.sign(message, seed),
  };
}

/** Formats the signer key line of a seed (for key files and tests; never log it). */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const signer = signerFromSeed(name, seed);
  const key = toBase64(concatBytes(Uint8Array.of(ALG_ED25519), seed));
  return `PRIVATE+KEY+${name}+${toHex(signer.keyId)}+${key}`;
}

/**
 * Signs `text` with every signer and returns the signed note. `text` must be a valid note
 * text: non-empty, ending in "\n", without other control characters.
 */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkNoteText(text);
  if (signers.length === 0) throw new TypeError("signNote: expected at least one signer");

  const message = utf8(text);
  const lines = signers.map((s) => {
    const sig = concatBytes(s.keyId, s.sign(message));
    return `${SIG_PREFIX}${s.name} ${toBase64(sig)}\n`;
  });
  return `${text}\n${lines.join("")}`;
}

/**
 * Splits a signed note into text and signature lines, checking the syntax only.
 *
 * @throws LedgerError LEDGER_BAD_NOTE on any syntax error.
 */
export function parseNote(note: string): ParsedNote {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw badNote("no empty line before the signatures");
  if (!note.endsWith("\n")) throw badNote("does not end in a newline");

  const text = note.slice(0, split + 1);
  checkNoteText(text);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) {
    throw badNote(`more than ${MAX_NOTE_SIGNATURES} signatures`);
  }

  const signatures = lines.map((line) => {
    if (!line.startsWith(SIG_PREFIX))
      throw badNote("signature line does not start with an em dash");
    const fields = line.slice(SIG_PREFIX.length).split(" ");
    if (fields.length !== 2) throw badNote("signature line is not '<name> <signature>'");
    const [name, b64] = fields;
    checkKeyName(name, "LEDGER_BAD_NOTE");
    let raw: Uint8Array;
    try {
      raw = fromBase64(b64);
    } catch (err) {
      throw new LedgerError("LEDGER_BAD_NOTE", "note: signature is not base64", {}, { cause: err });
    }
    if (raw.length < 5) throw badNote("signature shorter than a key ID");
    return { name, keyId: raw.slice(0, 4), signature: raw.slice(4) };
  });
  return { text, signatures };
}

/** The result of verifying a note: its text and the names of the verifiers that signed it. */
export interface VerifiedNote {
  text: string;
  verifiedBy: string[];
  /** Signature lines from signers not in the verifier set; they are ignored. */
  unknownSigners: string[];
}

/**
 * Verifies a signed note against a set of trusted verifiers. Signatures by unknown keys are
 * skipped (a note may carry cosignatures the caller does not know); a signature by a known key
 * that fails to verify rejects the note. At least one known signature must be present.
 *
 * @throws LedgerError LEDGER_BAD_NOTE for syntax, LEDGER_NO_VALID_SIGNATURE when no trusted
 *   key signed it or a trusted key's signature is wrong.
 */
export function verifyNote(note: string, verifiers: readonly NoteVerifier[]): VerifiedNote {
  const parsed = parseNote(note);
  const message = utf8(parsed.text);

  const verifiedBy: string[] = [];
  const unknownSigners: string[] = [];
  for (const sig of parsed.signatures) {
    const v = verifiers.find((k) => k.name === sig.name && bytesEqual(k.keyId, sig.keyId));
    if (v === undefined) {
      unknownSigners.push(sig.name);
      continue;
    }
    if (sig.signature.length !== 64 || !verifyEd25519(sig.signature, message, v.publicKey)) {
      throw new LedgerError("LEDGER_NO_VALID_SIGNATURE", `note: bad signature by ${sig.name}`, {
        signer: sig.name,
      });
    }
    if (!verifiedBy.includes(v.name)) verifiedBy.push(v.name);
  }
  if (verifiedBy.length === 0) {
    throw new LedgerError("LEDGER_NO_VALID_SIGNATURE", "note: no signature by a trusted key", {
      signers: parsed.signatures.map((s) => s.name),
    });
  }
  return { text: parsed.text, verifiedBy, unknownSigners };
}

/** Splits at the first `count - 1` plus signs; undefined when there are fewer. */
function splitPlus(text: string, count: number): string[] | undefined {
  const out: string[] = [];
  let rest = text;
  for (let i = 0; i < count - 1; i++) {
    const at = rest.indexOf("+");
    if (at < 0) return undefined;
    out.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  out.push(rest);
  return out;
}

function verifyEd25519(sig: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(sig, message, publicKey, { zip215: false });
  } catch {
    // noble throws on malformed points; for a verifier that is simply a bad signature.
    return false;
  }
}

function checkNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith("\n")) throw badNote("text must end in a newline");
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(text)) throw badNote("text has control characters");
  try {
    fromUtf8(utf8(text));
  } catch (err) {
    throw new LedgerError("LEDGER_BAD_NOTE", "note: text is not UTF-8", {}, { cause: err });
  }
}

function checkKeyName(
  name: string,
  code: "LEDGER_BAD_VERIFIER_KEY" | "LEDGER_BAD_SIGNER_KEY" | "LEDGER_BAD_NOTE",
): void {
  if (name.length === 0 || /[\s+]/.test(name)) {
    throw new LedgerError(code, `key name ${JSON.stringify(name)} is empty or has spaces or '+'`);
  }
}

function decodeKey(
  b64: string,
  code: "LEDGER_BAD_VERIFIER_KEY" | "LEDGER_BAD_SIGNER_KEY",
  shown: string,
): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = fromBase64(b64);
  } catch (err) {
    throw new LedgerError(code, "key is not base64", { key: shown }, { cause: err });
  }
  if (raw.length !== 33 || raw[0] !== ALG_ED25519) {
    throw badKey(code, "expected an Ed25519 key (0x01 followed by 32 bytes)", shown);
  }
  return raw.slice(1);
}

function badKey(
  code: "LEDGER_BAD_VERIFIER_KEY" | "LEDGER_BAD_SIGNER_KEY",
  why: string,
  shown: string,
): LedgerError {
  return new LedgerError(code, `key ${JSON.stringify(shown)}: ${why}`, { key: shown });
}

function badNote(why: string): LedgerError {
  return new LedgerError("LEDGER_BAD_NOTE", `note: ${why}`);
}
