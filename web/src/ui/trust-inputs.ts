/**
 * Reads the "what you trust" fields that every check shares.
 */
import { byId } from "./dom";

/** What the officer entered as trusted. Empty fields are undefined (keys: an empty list). */
export interface TrustInputs {
  verifierKeys: string[];
  rpcUrl?: string;
  verificationKey?: string;
  policyDocument?: string;
}

/** Reads the trust fields as they are now. */
export function readTrust(): TrustInputs {
  const value = (id: string) => {
    const text = byId<HTMLInputElement | HTMLTextAreaElement>(id).value.trim();
    return text === "" ? undefined : text;
  };

  return {
    verifierKeys: (value("trusted-keys") ?? "").split("\n").filter((k) => k.trim() !== ""),
    rpcUrl: value("rpc-url"),
    verificationKey: value("vkey"),
    policyDocument: value("policy"),
  };
}
