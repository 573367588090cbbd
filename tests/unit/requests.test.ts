import { describe, expect, it } from "vitest";
import { addCalendarDays, calendarToday, changedFields, extendedExpiry, shownStatus } from "~/domain/requests";

describe("request life", () => {
  it("reads today on the requester's calendar, not the server's", () => {
    const lateEvening = new Date("2026-12-31T23:30:00Z");
    expect(calendarToday("Europe/Berlin", lateEvening)).toBe("2027-01-01");
    expect(calendarToday("America/New_York", lateEvening)).toBe("2026-12-31");
  });

  it("adds calendar days across months, years and leap days", () => {
    expect(addCalendarDays("2026-12-04", 60)).toBe("2027-02-02");
    expect(addCalendarDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addCalendarDays("2026-03-28", 2)).toBe("2026-03-30");
  });

  it("shows an open request as expired the day after its expiry date", () => {
    expect(shownStatus("open", "2026-12-04", "2026-12-04")).toBe("open");
    expect(shownStatus("open", "2026-12-04", "2026-12-05")).toBe("expired");
    expect(shownStatus("withdrawn", "2026-12-04", "2027-01-01")).toBe("withdrawn");
    expect(shownStatus("matched", "2026-01-01", "2027-01-01")).toBe("matched");
  });

  it("extends to a full lifetime from today, but never shortens", () => {
    expect(extendedExpiry("2026-12-10", "2026-12-04")).toBe("2027-02-02");
    expect(extendedExpiry("2026-11-01", "2026-12-04")).toBe("2027-02-02");
    expect(extendedExpiry("2027-06-01", "2026-12-04")).toBe("2027-06-01");
  });

  it("records only the fields that changed, with before and after", () => {
    expect(
      changedFields(
        { goal: "Start", languages: ["de"], deadline: null, sessionMinutes: 60 },
        { goal: "Start", languages: ["de", "en"], deadline: "2027-01-10", sessionMinutes: 60 },
      ),
    ).toEqual({
      languages: { before: ["de"], after: ["de", "en"] },
      deadline: { before: null, after: "2027-01-10" },
    });
  });
});
