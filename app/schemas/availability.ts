import { z } from "zod";
import { findWindowProblems, parseTimeOfDay } from "~/domain/availability";

export const maxWindows = 21;

const windowRow = z.object({
  weekday: z.string().max(2).optional().default(""),
  start: z.string().max(5).optional().default(""),
  end: z.string().max(5).optional().default(""),
});

/**
 * Weekly windows as the form sends them ("HH:MM" strings per row). Rows left entirely blank are
 * ignored; problems are reported on the row and field they belong to.
 */
export const availabilityRows = z.preprocess(
  // Nothing sent means no rows; a hand-made request may skip row numbers, and the gaps are not rows.
  (rows) => (Array.isArray(rows) ? rows.filter((row) => row !== undefined) : (rows ?? [])),
  z
    .array(windowRow)
    .max(maxWindows, "errors.tooManyWindows")
    .superRefine((rows, context) => {
      const filled = rows
        .map((row, index) => ({ row, index }))
        .filter(({ row }) => row.start !== "" || row.end !== "");
      if (filled.length === 0) {
        context.addIssue({ code: "custom", path: [], message: "errors.windowsRequired" });
        return;
      }
      const windows = filled.map(({ row }) => ({
        weekday: Number(row.weekday),
        startMinute: parseTimeOfDay(row.start) ?? -1,
        endMinute: parseTimeOfDay(row.end) ?? -1,
      }));
      for (const problem of findWindowProblems(windows)) {
        const index = filled[problem.index]?.index ?? problem.index;
        context.addIssue({ code: "custom", path: [index, problem.field], message: problem.message });
      }
    })
    .transform((rows) =>
      rows
        .filter((row) => row.start !== "" || row.end !== "")
        .map((row) => ({
          weekday: Number(row.weekday),
          startMinute: parseTimeOfDay(row.start) ?? 0,
          endMinute: parseTimeOfDay(row.end) ?? 0,
        })),
    ),
);
