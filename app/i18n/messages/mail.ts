/**
 * E-mails (app/.server/mail/templates.server.ts). Each text is one whole
 * sentence or block in one language: a mail in both languages puts the
 * Japanese block and the English block one after the other, never mixed.
 */
export const mailEn = {
  "mail.setup.subject": "{tenant}: set up your account",
  "mail.setup.subjectAdmin": "{tenant}: set up your administrator account",
  "mail.setup.created": "A Kura account has been created for you at {tenant}.",
  "mail.setup.createdAdmin": "A Kura administrator account has been created for you at {tenant}.",
  "mail.setup.action": "Set your password with this link (valid for 7 days, single use):",
  "mail.reset.subject": "Reset your password",
  "mail.reset.requested": "Someone asked to reset the password of your Kura account at {tenant}.",
  "mail.reset.action": "Set a new password with this link (valid for 1 hour, single use):",
  "mail.reset.ignore": "If this was not you, ignore this e-mail.",
  "mail.quota.subject80": "{tenant}: storage is {percent}% full",
  "mail.quota.subject100": "{tenant}: storage is full",
  "mail.quota.body": "{tenant} uses {used} of its {quota} storage quota ({percent}%).",
  "mail.quota.action80": "Uploads stop when the quota is reached. Delete what is no longer needed, or ask us for a larger quota.",
  "mail.quota.action100": "New uploads are refused until space is freed. Delete what is no longer needed, or ask us for a larger quota.",
  "mail.guestCode.subject": "{tenant}: your code to open the shared files",
  "mail.guestCode.body": "Enter this code on the share page to open the files {tenant} shared with you (valid for 10 minutes):",
  "mail.guestCode.ignore": "If you did not ask for it, ignore this e-mail: nobody can open the share without the code.",
} as const;

export const mailJa: Record<keyof typeof mailEn, string> = {
  "mail.setup.subject": "{tenant}: アカウントの設定",
  "mail.setup.subjectAdmin": "{tenant}: 管理者アカウントの設定",
  "mail.setup.created": "{tenant} の Kura アカウントが作成されました。",
  "mail.setup.createdAdmin": "{tenant} の Kura 管理者アカウントが作成されました。",
  "mail.setup.action": "次のリンクからパスワードを設定してください（7日間有効・1回のみ使用可）:",
  "mail.reset.subject": "パスワードの再設定",
  "mail.reset.requested": "{tenant} の Kura アカウントのパスワード再設定が要求されました。",
  "mail.reset.action": "次のリンクから新しいパスワードを設定してください（1時間有効・1回のみ使用可）:",
  "mail.reset.ignore": "心当たりがない場合は、このメールを無視してください。",
  "mail.quota.subject80": "{tenant}: ストレージ使用量が {percent}% に達しました",
  "mail.quota.subject100": "{tenant}: ストレージ容量の上限に達しました",
  "mail.quota.body": "{tenant} のストレージ使用量は {quota} 中 {used}（{percent}%）です。",
  "mail.quota.action80": "上限に達するとアップロードできなくなります。不要なデータを削除するか、容量の追加をご相談ください。",
  "mail.quota.action100": "空きができるまで新しいアップロードはできません。不要なデータを削除するか、容量の追加をご相談ください。",
  "mail.guestCode.subject": "{tenant}: 共有ファイルを開くための確認コード",
  "mail.guestCode.body": "{tenant} から共有されたファイルを開くには、共有ページで次のコードを入力してください（10分間有効）:",
  "mail.guestCode.ignore": "心当たりがない場合は、このメールを無視してください。コードがなければ共有は開けません。",
};
