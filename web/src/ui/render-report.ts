/**
 * Renders a {@link Report}: the verdict first, in words and a symbol (never colour alone),
 * then loud warnings, then every link with its verdict, plain words and the data it used.
 * Each link carries data-step, data-verdict and data-code so that tools and tests can read
 * the page's verdicts exactly.
 */
import type { Datum, Link, Report, Verdict } from "../checks/link";
import { el } from "./dom";

const VERDICT_WORDS: Record<Verdict, string> = {
  pass: "✓ Holds",
  fail: "✗ Broken",
  skip: "– Not checked",
};

const OUTCOME_WORDS: Record<Report["outcome"], string> = {
  verified: "✓ Verified",
  partial: "◐ Partly verified",
  failed: "✗ Not verified",
  unsupported: "? Not supported",
};

/** Builds the element showing `report`. */
export function renderReport(report: Report): HTMLElement {
  return el(
    "article",
    { class: `report report--${report.outcome}`, "data-outcome": report.outcome },
    el(
      "h3",
      { class: "report__title", tabindex: -1 },
      el("span", { class: "outcome" }, OUTCOME_WORDS[report.outcome]),
      " ",
      report.subject,
    ),
    el("p", { class: "report__summary" }, report.summary),
    report.warnings.map((w) => el("p", { class: "warning", role: "alert" }, "Warning: ", w)),
    report.links.length === 0
      ? null
      : el(
          "ol",
          { class: "links", "aria-label": "Links of the chain of trust" },
          report.links.map(renderLink),
        ),
  );
}

function renderLink(link: Link): HTMLElement {
  return el(
    "li",
    {
      class: `link link--${link.verdict}`,
      "data-step": link.step,
      "data-verdict": link.verdict,
      "data-code": link.code,
    },
    el(
      "h4",
      { class: "link__head" },
      el("span", { class: "badge" }, VERDICT_WORDS[link.verdict]),
      " ",
      link.title,
    ),
    link.plain ? el("p", { class: "link__plain" }, link.plain) : null,
    el(
      "p",
      { class: "link__detail" },
      link.code ? `${link.code}: ` : "",
      el("span", { class: "link__detail-text" }, link.detail),
    ),
    link.data.length === 0
      ? null
      : el(
          "details",
          { class: "link__data", open: link.verdict === "fail" },
          el("summary", {}, "Data used"),
          el("dl", {}, link.data.flatMap(renderDatum)),
        ),
  );
}

function renderDatum(d: Datum): HTMLElement[] {
  const value =
    typeof d.value === "string"
      ? el("code", { class: d.value.includes("\n") ? "block" : undefined }, d.value)
      : d.value.length === 0
        ? el("span", {}, "(none)")
        : el(
            "ol",
            { class: "hashes" },
            d.value.map((v) => el("li", {}, el("code", {}, v))),
          );
  return [el("dt", {}, d.label), el("dd", {}, value)];
}
