import { Await } from "@remix-run/react";
import { Suspense, type ReactNode } from "react";
import { useT } from "~/i18n/use-t";
import type { BrowsePageData } from "./types";

type Choice = { id: string; path: string };

/**
 * A "move to" folder select. The project's folder paths are deferred (not
 * needed for the first paint); until they arrive (and without JavaScript)
 * the choices are the root and the folders listed on this page.
 */
export function FolderPicker({
  data,
  id,
  name,
  defaultValue,
  exclude,
}: {
  data: BrowsePageData;
  id: string;
  name: string;
  defaultValue: string;
  exclude?: (c: Choice, all: Choice[]) => boolean;
}) {
  const t = useT();
  const here: Choice[] = [
    ...(data.folder ? [{ id: data.folder.id, path: data.folder.name }] : []),
    ...data.subfolders.items.map((f) => ({ id: f.id, path: f.name })),
  ];
  const select = (choices: Choice[]): ReactNode => (
    <select id={id} name={name} defaultValue={defaultValue}>
      <option value="">{t("browse.root")}</option>
      {choices
        .filter((c) => !exclude?.(c, choices))
        .map((c) => (
          <option key={c.id} value={c.id}>
            {c.path}
          </option>
        ))}
    </select>
  );
  return (
    <Suspense fallback={select(here)}>
      <Await resolve={data.folderPaths} errorElement={select(here)}>
        {(paths) => select(paths)}
      </Await>
    </Suspense>
  );
}
