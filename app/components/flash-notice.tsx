import type { ParseKeys } from "i18next";
import { useTranslation } from "react-i18next";
import type { Flash } from "~/utils/flash.server";

export function FlashNotice({ flash }: { flash: Flash }) {
  const { t } = useTranslation();
  return (
    <p className="notice notice--success" role="status">
      {t(flash.key as ParseKeys, flash.values ?? {})}
    </p>
  );
}
