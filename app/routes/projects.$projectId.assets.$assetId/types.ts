import type { useLoaderData } from "@remix-run/react";
import type { UiText } from "~/components/form-types";
import type { loader } from "./route";

export type AssetPageData = ReturnType<typeof useLoaderData<typeof loader>>;
export type PageAsset = AssetPageData["asset"];

/** A button's success (the form it belongs to, and what to say). */
export type Done = { ok: true; form: string; notice?: UiText };
