import { useTranslation } from "react-i18next";
import { declineReasons, type DeclineReason } from "~db/schema";

/** Stored for a match an account deletion closed (see closeActiveMatchesOf). */
const accountDeletedReason = "accountDeleted";

/**
 * A decline's reason is stored as "code: note" and a deletion's as a code, so the log stays language-neutral; this
 * words them for the reader.
 */
export function useReadableReason() {
  const { t } = useTranslation();
  return (toStatus: string, reason: string) => {
    if (reason === accountDeletedReason) return t("privacy.account.matchClosedByDeletion");
    if (toStatus !== "declined") return reason;
    const [code = "", ...note] = reason.split(": ");
    if (!(declineReasons as readonly string[]).includes(code)) return reason;
    return [t(`matches.declineReasons.${code as DeclineReason}`), ...note].join(": ");
  };
}
