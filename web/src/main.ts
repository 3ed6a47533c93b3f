/**
 * The verifier page's entry point: wires each panel to its check module. Nothing else runs
 * at load; nothing is sent anywhere until the officer asks for a log or chain read.
 */
import "./style.css";

import { wireDocumentPanel } from "./ui/document-panel";
import { wireTimelinePanel } from "./ui/timeline-panel";

wireDocumentPanel();
wireTimelinePanel();
