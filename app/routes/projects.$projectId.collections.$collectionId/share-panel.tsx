import { useState } from "react";
import { failureOf, useFormResult } from "~/components/forms";
import { ShareCreatedPanel } from "~/components/sharing/share-created";
import { FolderSelect, ShareForm } from "~/components/sharing/share-form";
import type { ShareCreated, ShareFormSettings } from "~/components/sharing/types";
import { useT } from "~/i18n/use-t";

type Choice = { id: string; path: string };

/** "Share this collection" (issue #14): the share form behind a disclosure, then the links made, once. */
export function ShareCollection({ settings, name, folderPaths }: { settings: ShareFormSettings; name: string; folderPaths: Promise<Choice[]> }) {
  const t = useT();
  const result = useFormResult<ShareCreated>("share-create");
  const failure = failureOf(result);
  const [closed, setClosed] = useState<string | null>(null);
  // The links made are shown once, in place of the form, until closed.
  const created = result?.ok && result.created.id !== closed ? result.created : null;
  if (created) return <ShareCreatedPanel created={created} onClose={() => setClosed(created.id)} />;
  return (
    <details className="card share-panel" open={failure ? true : undefined} data-testid="share-collection">
      <summary>{t("share.shareCollection")}</summary>
      <ShareForm
        settings={settings}
        heading={t("share.titleCollection", { name })}
        hidden={null}
        failure={failure}
        folderPicker={(props) => <FolderSelect {...props} choices={folderPaths} pick={(paths) => paths} />}
      />
    </details>
  );
}
