import { useTranslation } from "react-i18next";
import { declineReasons, type DeclineReason } from "~db/schema";

/** A decline's reason is stored as "code: note" so the log stays language-neutral; this words it for the reader. */
export function useReadableReason() {
  const { t } = useTranslation();
  return (toStatus: string, reason: string) => {
    if (toStatus !== "declined") return reason;
    const [code = "", ...note] = reason.split(": ");
    if (!(declineReasons as readonly string[]).includes(code)) return reason;
    return [t(`matches.declineReasons.${code as DeclineReason}`), ...note].join(": ");
  };
}
