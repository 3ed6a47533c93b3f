/**
 * The "check a receipt or a compliance bundle" panel: reads the document, detects its kind,
 * runs the one check module for that kind, and shows the report.
 */
import { checkComplianceBundle } from "../checks/check-bundle";
import { checkReceipt } from "../checks/check-receipt";
import type { Report } from "../checks/link";
import { messageOf } from "../errors";
import { detectDocument } from "../input/detect-document";
import { byId } from "./dom";
import { wireFileDrop } from "./file-drop";
import { renderReport } from "./render-report";
import { readTrust } from "./trust-inputs";

/** Wires the panel's form, file input and drop zone. */
export function wireDocumentPanel(): void {
  const form = byId<HTMLFormElement>("doc-form");
  const text = byId<HTMLTextAreaElement>("doc-text");
  const status = byId<HTMLElement>("doc-status");
  const result = byId<HTMLElement>("doc-result");

  const run = async () => {
    status.classList.remove("sr-only");
    status.textContent = "Checking…";
    result.replaceChildren();

    const report = await checkDocument(text.value);

    result.replaceChildren(renderReport(report));
    // The report shows the same words; the status line stays for screen readers to announce.
    status.textContent = `${report.subject}: ${report.summary}`;
    status.classList.add("sr-only");
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run();
  });
  wireFileDrop(
    byId("drop-zone"),
    byId<HTMLInputElement>("doc-file"),
    (content) => {
      text.value = content;
      void run();
    },
    (message) => {
      status.classList.remove("sr-only");
      status.textContent = message;
    },
  );
}

/** Detects the kind of `text` and runs its check with what the officer trusts. */
async function checkDocument(text: string): Promise<Report> {
  const trust = readTrust();

  let doc: ReturnType<typeof detectDocument>;
  try {
    doc = detectDocument(text);
  } catch (err) {
    return unreadable(messageOf(err));
  }

  switch (doc.kind) {
    case "receipt":
      return checkReceipt(doc.value, {
        trustedKeys: trust.verifierKeys,
        trustReceiptKey: byId<HTMLInputElement>("trust-receipt-key").checked,
        rpcUrl: trust.rpcUrl,
      });
    case "compliance-bundle":
      return checkComplianceBundle(doc.format, doc.value, {
        trustedKeys: trust.verifierKeys,
        verificationKey: trust.verificationKey,
        policyDocument: trust.policyDocument,
        rpcUrl: trust.rpcUrl,
      });
    default:
      return unreadable(
        doc.format === ""
          ? "the document has no format field"
          : `format ${JSON.stringify(doc.format)} is not one this page knows`,
      );
  }
}

function unreadable(why: string): Report {
  return {
    subject: "Document",
    outcome: "unsupported",
    summary: `Not checked: ${why}. Give an anchorlog receipt or compliance bundle (JSON).`,
    links: [],
    warnings: [],
  };
}
