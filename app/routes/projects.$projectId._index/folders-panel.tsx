import { Form, Link } from "@remix-run/react";
import { FieldErrorText, FormAlert, failureOf, Notice, useFormResult, useUiText } from "~/components/forms";
import { pages } from "~/components/assets/urls";
import { useT } from "~/i18n/use-t";
import { FolderPicker } from "./folder-picker";
import type { BrowsePageData, Done } from "./types";

/** Where the list is: the root and the folders down to this one. */
export function FolderCrumbs({ data }: { data: BrowsePageData }) {
  const t = useT();
  const crumbs = data.folder?.breadcrumbs ?? [];
  return (
    <nav aria-label={t("browse.breadcrumbs")} className="folder-crumbs" data-testid="folder-crumbs">
      <ol>
        <li>
          {crumbs.length === 0 ? <span aria-current="page">{t("browse.root")}</span> : <Link to={pages.folder(data.project.id, null)}>{t("browse.root")}</Link>}
        </li>
        {crumbs.map((c, i) => (
          <li key={c.id}>
            {i === crumbs.length - 1 ? <span aria-current="page">{c.name}</span> : <Link to={pages.folder(data.project.id, c.id)}>{c.name}</Link>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** The folders here: open, create, rename, move, delete. */
export function FoldersPanel({ data, held }: { data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const created = useFormResult<Done>("folder-create");
  const deleted = useFormResult<Done>("folders");
  const failure = failureOf(created) ?? failureOf(deleted);
  const text = useUiText();
  const folderDone = (created?.ok ? created : deleted?.ok ? deleted : undefined) as Done | undefined;
  return (
    <section className="side-section" aria-labelledby="folders-heading" data-testid="folders">
      <h2 id="folders-heading">{t("browse.folders")}</h2>
      {folderDone ? <Notice>{text(folderDone.notice)}</Notice> : null}
      <FormAlert failure={failure} />
      {data.folder ? (
        <p className="folder-up">
          <Link to={pages.folder(data.project.id, data.folder.parentId)}>↑ {data.folder.breadcrumbs.at(-2)?.name ?? t("browse.root")}</Link>
        </p>
      ) : null}
      {data.subfolders.items.length === 0 ? <p className="muted">{t("browse.noFolders")}</p> : null}
      <ul className="folder-list">
        {data.subfolders.items.map((f) => (
          <FolderRow key={f.id} folder={f} data={data} held={held} />
        ))}
      </ul>
      {data.subfolders.truncated ? <p className="muted">{t("browse.moreFolders", { count: data.subfolders.items.length })}</p> : null}
      {held.has("asset.upload") ? (
        <Form method="post" className="inline-form compact new-folder" key={folderDone ? JSON.stringify(folderDone.notice) : "new"}>
          <input type="hidden" name="intent" value="folder-create" />
          <input type="hidden" name="parentId" value={data.folder?.id ?? ""} />
          <label htmlFor="new-folder-name" className="visually-hidden">
            {t("browse.folderName")}
          </label>
          <input id="new-folder-name" name="name" placeholder={t("browse.newFolder")} maxLength={255} required defaultValue={failureOf(created)?.values.name} />
          <button type="submit">{t("browse.createFolder")}</button>
          <FieldErrorText failure={failureOf(created)} name="name" />
        </Form>
      ) : null}
    </section>
  );
}

function FolderRow({ folder, data, held }: { folder: BrowsePageData["subfolders"]["items"][number]; data: BrowsePageData; held: Set<string> }) {
  const t = useT();
  const result = useFormResult(`folder:${folder.id}`);
  const failure = failureOf(result);
  const canEdit = held.has("asset.edit_metadata");
  const canDelete = held.has("asset.delete");
  return (
    <li data-testid="folder-item" data-name={folder.name}>
      <Link to={pages.folder(data.project.id, folder.id)} className="folder-link">
        <span aria-hidden="true" className="folder-icon">
          ▸
        </span>{" "}
        {folder.name}
      </Link>
      {canEdit || canDelete ? (
        <details className="folder-menu" open={failure ? true : undefined}>
          <summary aria-label={t("browse.folderActions", { name: folder.name })}>…</summary>
          <FormAlert failure={failure} />
          {result?.ok ? <small className="ok-text">{t("common.saved")}</small> : null}
          {canEdit ? (
            <>
              <Form method="post" className="inline-form compact">
                <input type="hidden" name="intent" value="folder-rename" />
                <input type="hidden" name="folderId" value={folder.id} />
                <label htmlFor={`rename-${folder.id}`} className="visually-hidden">
                  {t("browse.folderName")}
                </label>
                <input id={`rename-${folder.id}`} name="name" defaultValue={folder.name} key={folder.name} maxLength={255} required />
                <button type="submit">{t("browse.renameFolder")}</button>
              </Form>
              <FieldErrorText failure={failure} name="name" />
              <Form method="post" className="inline-form compact">
                <input type="hidden" name="intent" value="folder-move" />
                <input type="hidden" name="folderId" value={folder.id} />
                <label htmlFor={`move-${folder.id}`}>{t("browse.moveFolder")}</label>
                <FolderPicker
                  data={data}
                  id={`move-${folder.id}`}
                  name="parentId"
                  defaultValue={folder.parentId ?? ""}
                  exclude={(c, all) => isSelfOrBelow(c, all, folder.id)}
                />
                <button type="submit">{t("browse.move")}</button>
              </Form>
            </>
          ) : null}
          {canDelete ? (
            <Form method="post">
              <input type="hidden" name="intent" value="folder-delete" />
              <input type="hidden" name="folderId" value={folder.id} />
              <button type="submit" className="danger">
                {t("browse.deleteFolder").replace("…", "")}
              </button>
            </Form>
          ) : null}
        </details>
      ) : null}
    </li>
  );
}

/** A folder cannot move into itself or below itself. */
function isSelfOrBelow(choice: { id: string; path: string }, all: { id: string; path: string }[], folderId: string): boolean {
  const own = all.find((c) => c.id === folderId)?.path;
  return choice.id === folderId || (own !== undefined && choice.path.startsWith(`${own} / `));
}
