import type { useLoaderData } from "@remix-run/react";
import type { UiText } from "~/components/form-types";
import type { loader } from "./route";

export type BrowsePageData = ReturnType<typeof useLoaderData<typeof loader>>;

/** A button's success (the form it belongs to, what to say, and whether the selection is done with). */
export type Done = { ok: true; form: string; notice: UiText; clearSelection?: boolean };
