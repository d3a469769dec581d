import { useEffect, useState } from "react";
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
  const [created, setCreated] = useState<ShareCreated["created"] | null>(null);
  useEffect(() => {
    if (result?.ok) setCreated((result as ShareCreated).created);
  }, [result]);
  if (created) return <ShareCreatedPanel created={created} onClose={() => setCreated(null)} />;
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
