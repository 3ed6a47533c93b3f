/**
 * Drives the verifier page the way an officer does (fill the fields, press the buttons) and
 * reads back what it shows, from the data attributes the page puts on each verdict.
 */
import type { Page } from "playwright-core";

/** One link as the page shows it. */
export interface ShownLink {
  step: string;
  verdict: string;
  code: string | null;
  detail: string;
}

/** A document's result as the page shows it. */
export interface ShownReport {
  outcome: string;
  summary: string;
  warnings: string[];
  links: ShownLink[];
  /** The role=status line, which screen readers announce. */
  status: string;
}

/** What the officer enters for a document check. */
export interface DocumentInputs {
  keys: string[];
  rpcUrl?: string;
  trustReceiptKey?: boolean;
  document: unknown;
}

/** Fills the trust fields and the document, presses Verify, and reads the result. */
export async function verifyDocument(page: Page, inputs: DocumentInputs): Promise<ShownReport> {
  await page.fill("#trusted-keys", inputs.keys.join("\n"));
  await page.fill("#rpc-url", inputs.rpcUrl ?? "");
  await page.setChecked("#trust-receipt-key", inputs.trustReceiptKey ?? false);
  await page.fill("#doc-text", JSON.stringify(inputs.document, null, 2));

  await page.$eval("#doc-result", (node) => node.replaceChildren());
  await page.click("#doc-verify");
  await page.waitForSelector("#doc-result [data-outcome]");

  return readReport(page);
}

/** Reads the report the page shows now. */
export async function readReport(page: Page): Promise<ShownReport> {
  return page.$eval("#doc-result", (root) => {
    const report = root.querySelector<HTMLElement>("[data-outcome]");
    const text = (node: Element | null) => node?.textContent ?? "";
    return {
      outcome: report?.dataset.outcome ?? "",
      summary: text(root.querySelector(".report__summary")),
      warnings: Array.from(root.querySelectorAll(".warning")).map(text),
      links: Array.from(root.querySelectorAll<HTMLElement>("li.link")).map((li) => ({
        step: li.dataset.step ?? "",
        verdict: li.dataset.verdict ?? "",
        code: li.dataset.code ?? null,
        detail: text(li.querySelector(".link__detail-text")),
      })),
      status: text(document.querySelector("#doc-status")),
    };
  });
}

/** The links the page checked (not the ones it shows as not checked). */
export function checkedLinks(report: ShownReport): ShownLink[] {
  return report.links.filter((l) => l.verdict !== "skip");
}

/** A step verdict of any verify module: receipts, anchored receipts, compliance bundles. */
export interface ModuleStep {
  step: string;
  ok: boolean;
  detail: string;
  code?: string;
}

/** A verify module's steps in the form the page shows them. */
export function asShown(steps: readonly ModuleStep[]): ShownLink[] {
  return steps.map((s) => ({
    step: s.step,
    verdict: s.ok ? "pass" : "fail",
    code: s.code ?? null,
    detail: s.detail,
  }));
}
