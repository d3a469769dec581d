/** What each capability of the catalog (app/policy/capabilities.ts) lets a member do: the role matrix and GET /permissions. */
export const capabilitiesEn = {
  "capability.asset.view": "View assets and their metadata",
  "capability.asset.download_original": "Download original files",
  "capability.asset.download_proxy": "Download proxies and previews",
  "capability.asset.upload": "Upload assets",
  "capability.asset.edit_metadata": "Edit metadata, tags and labels",
  "capability.asset.delete": "Delete assets",
  "capability.marker.edit": "Add and edit review markers",
  "capability.search.use": "Search",
  "capability.share.create": "Create share links",
  "capability.collection.manage": "Manage collections",
  "capability.project.manage_members": "Manage project members",
} as const;

export const capabilitiesJa: Record<keyof typeof capabilitiesEn, string> = {
  "capability.asset.view": "アセットとメタデータの閲覧",
  "capability.asset.download_original": "オリジナルファイルのダウンロード",
  "capability.asset.download_proxy": "プロキシ・プレビューのダウンロード",
  "capability.asset.upload": "アセットのアップロード",
  "capability.asset.edit_metadata": "メタデータ・タグ・ラベルの編集",
  "capability.asset.delete": "アセットの削除",
  "capability.marker.edit": "レビューマーカーの追加・編集",
  "capability.search.use": "検索",
  "capability.share.create": "共有リンクの作成",
  "capability.collection.manage": "コレクションの管理",
  "capability.project.manage_members": "プロジェクトメンバーの管理",
};
