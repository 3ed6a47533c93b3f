/**
 * What every check of the page returns: a chain of links, each with its verdict, the data it
 * used and, when it did not pass, what that means in plain words. The page renders these and
 * nothing else, so a new kind of document needs only a new check module.
 */

/** A link's verdict. `skip`: not checked, and `plain` says why. */
export type Verdict = "pass" | "fail" | "skip";

/** One piece of data a link used, shown beside its verdict. */
export interface Datum {
  label: string;
  /** One value, or a list (such as the hashes of a path). */
  value: string | readonly string[];
}

/** One link of a chain of trust. */
export interface Link {
  /** Stable name: the verify module's step name ("leaf", "inclusion", …) where there is one. */
  step: string;
  title: string;
  verdict: Verdict;
  /** The checking module's own words: its detail on success, its error message on failure. */
  detail: string;
  /** The stable error code of a failure. */
  code?: string;
  /** What a failure or a skip means for the officer, in plain words. */
  plain?: string;
  data: Datum[];
}

/** The outcome of checking one document. */
export interface Report {
  /** What was checked, e.g. "Receipt for entry 3 of test.anchorlog.dev/log/acme". */
  subject: string;
  /**
   * `verified`: every link passed. `partial`: none failed but some were not checked.
   * `failed`: a link failed. `unsupported`: this version cannot check the document.
   */
  outcome: "verified" | "partial" | "failed" | "unsupported";
  /** One sentence for the top of the result; names the broken link on failure. */
  summary: string;
  links: Link[];
  /** Loud notes the officer must read, e.g. a key taken from the document itself. */
  warnings: string[];
}

/** Derives a report's outcome from its links: any fail fails, any skip makes it partial. */
export function outcomeOf(links: readonly Link[]): Report["outcome"] {
  if (links.some((l) => l.verdict === "fail")) return "failed";
  if (links.some((l) => l.verdict === "skip")) return "partial";
  return "verified";
}
