import type { FieldValues, UseFormRegister } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { fieldId, translateError } from "~/components/form-fields";
import type { WindowRow } from "~/components/window-rows";
import { weekdayName } from "~/utils/display";
import type { FieldErrors } from "~/utils/forms";

const weekdays = [1, 2, 3, 4, 5, 6, 7];

/**
 * Weekly time windows as repeatable rows. "Add" and "remove" are submit buttons the server
 * answers by re-rendering the rows, so the editor works without JavaScript too.
 */
export function AvailabilityEditor({
  formId,
  register,
  errors,
  rows,
  timeZone,
  maxRows,
  legend,
}: {
  formId: string;
  register: UseFormRegister<FieldValues>;
  errors: FieldErrors;
  rows: WindowRow[];
  timeZone: string;
  maxRows: number;
  legend: string;
}) {
  const { t, i18n } = useTranslation();
  const groupId = fieldId(formId, "windows");
  const groupError = errors.windows;
  return (
    <fieldset id={groupId} className={groupError ? "field field--invalid" : "field"} tabIndex={-1} aria-describedby={`${groupId}-hint`}>
      <legend className="field__label">{legend}</legend>
      <p id={`${groupId}-hint`} className="field__hint">
        {t("offer.windowsHint", { timeZone: timeZone.replaceAll("_", " ") })}
      </p>
      {groupError ? <p className="field__error">{translateError(t, groupError)}</p> : null}
      {rows.map((row, index) => {
        const number = index + 1;
        const name = (field: string) => `windows.${index}.${field}`;
        const fieldProps = (field: string) => {
          const error = errors[name(field)];
          const id = fieldId(formId, name(field));
          return { id, error, describedBy: error ? `${id}-error` : undefined };
        };
        const weekday = fieldProps("weekday");
        const start = fieldProps("start");
        const end = fieldProps("end");
        return (
          <fieldset key={index} className="window-row">
            <legend>{t("offer.windowLegend", { number })}</legend>
            {[weekday, start, end].map((field) =>
              field.error ? (
                <p key={field.id} id={`${field.id}-error`} className="field__error">
                  {translateError(t, field.error)}
                </p>
              ) : null,
            )}
            <div className="window-row__fields">
              <div>
                <label htmlFor={weekday.id}>{t("offer.weekday")}</label>
                <select
                  id={weekday.id}
                  className="field__input"
                  defaultValue={row.weekday}
                  aria-invalid={weekday.error ? true : undefined}
                  aria-describedby={weekday.describedBy}
                  {...register(name("weekday"))}
                >
                  {weekdays.map((day) => (
                    <option key={day} value={String(day)}>
                      {weekdayName(day, i18n.language)}
                    </option>
                  ))}
                </select>
              </div>
              {(
                [
                  ["start", start, t("offer.from")],
                  ["end", end, t("offer.to")],
                ] as const
              ).map(([field, props, label]) => (
                <div key={field}>
                  <label htmlFor={props.id}>{label}</label>
                  <input
                    id={props.id}
                    type="time"
                    step={300}
                    className="field__input"
                    defaultValue={row[field]}
                    aria-invalid={props.error ? true : undefined}
                    aria-describedby={props.describedBy}
                    {...register(name(field))}
                  />
                </div>
              ))}
            </div>
            <button type="submit" name="intent" value={`removeWindow:${index}`} className="button button--secondary" formNoValidate>
              {t("offer.removeWindow", { number })}
            </button>
          </fieldset>
        );
      })}
      {rows.length < maxRows ? (
        <button type="submit" name="intent" value="addWindow" className="button button--secondary" formNoValidate>
          {t("offer.addWindow")}
        </button>
      ) : null}
    </fieldset>
  );
}
