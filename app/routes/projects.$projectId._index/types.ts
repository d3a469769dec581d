import type { useLoaderData } from "@remix-run/react";
import type { UiText } from "~/components/form-types";
import type { MetadataImportReport } from "~/schemas/metadata-csv";
import type { loader } from "./route";

export type BrowsePageData = ReturnType<typeof useLoaderData<typeof loader>>;

/** A metadata import's report as the page shows it: each row error's text in the user's language. */
export type ImportReportView = Omit<MetadataImportReport, "errors"> & { errors: { row: number; column: string; text: UiText }[] };

/** A button's success (the form it belongs to, what to say, and whether the selection is done with); an import adds its report. */
export type Done = { ok: true; form: string; notice: UiText; clearSelection?: boolean; report?: ImportReportView };
