// report.json: the Report as it is, the document tools read; its shape is
// published as schemas/report.schema.json.

import type { Report } from "../model";

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
