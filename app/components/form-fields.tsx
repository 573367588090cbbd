import type { ParseKeys, TFunction } from "i18next";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/utils/forms";

/** Turns a schema message ("errors.tooLong:120") into text in the reader's language. */
export function translateError(t: TFunction, message: string) {
  const [key, parameter] = message.split(":");
  return t(key as ParseKeys, { max: parameter });
}

export const fieldId = (formId: string, name: string) => `${formId}-${name}`;

type FieldShellProps = {
  formId: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (describedBy: string | undefined, id: string) => ReactNode;
};

function FieldShell({ formId, name, label, hint, error, children }: FieldShellProps) {
  const { t } = useTranslation();
  const id = fieldId(formId, name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--invalid" : "field"}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {translateError(t, error)}
        </p>
      ) : null}
      {children(describedBy, id)}
    </div>
  );
}

type TextFieldProps = {
  formId: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
} & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id">;

export function TextField({ formId, label, hint, error, registration, ...inputProps }: TextFieldProps) {
  return (
    <FieldShell formId={formId} name={registration.name} label={label} hint={hint} error={error}>
      {(describedBy, id) => (
        <input
          id={id}
          className="field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...inputProps}
          {...registration}
        />
      )}
    </FieldShell>
  );
}

/** A small whole number (a setting, a weight): the phone shows its number pad, and the box fits three digits. */
export function WholeNumberField(props: TextFieldProps) {
  return <TextField inputMode="numeric" className="field__input number-input" {...props} />;
}

type TextAreaFieldProps = {
  formId: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id">;

export function TextAreaField({ formId, label, hint, error, registration, ...textareaProps }: TextAreaFieldProps) {
  return (
    <FieldShell formId={formId} name={registration.name} label={label} hint={hint} error={error}>
      {(describedBy, id) => (
        <textarea
          id={id}
          className="field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...textareaProps}
          {...registration}
        />
      )}
    </FieldShell>
  );
}

type SelectFieldProps = {
  formId: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
  options: { value: string; label: string }[];
  placeholder?: string;
} & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id">;

export function SelectField({
  formId,
  label,
  hint,
  error,
  registration,
  options,
  placeholder,
  ...selectProps
}: SelectFieldProps) {
  return (
    <FieldShell formId={formId} name={registration.name} label={label} hint={hint} error={error}>
      {(describedBy, id) => (
        <select
          id={id}
          className="field__input"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          {...selectProps}
          {...registration}
        >
          {placeholder ? <option value="">{placeholder}</option> : null}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

type ChoiceGroupProps = {
  formId: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
  options: { value: string; label: ReactNode }[];
};

/** A fieldset of checkboxes or radios sharing one name, with its hint and error announced. */
function ChoiceGroup({
  type,
  formId,
  legend,
  hint,
  error,
  registration,
  options,
  isChecked,
}: ChoiceGroupProps & { type: "checkbox" | "radio"; isChecked: (value: string) => boolean }) {
  const { t } = useTranslation();
  const id = fieldId(formId, registration.name);
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <fieldset
      id={id}
      className={error ? "field field--invalid" : "field"}
      aria-describedby={describedBy || undefined}
      tabIndex={-1}
    >
      <legend className="field__label">{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {translateError(t, error)}
        </p>
      ) : null}
      {options.map((option) => (
        <div className="choice" key={option.value}>
          <input
            type={type}
            id={`${id}-${option.value}`}
            value={option.value}
            defaultChecked={isChecked(option.value)}
            {...registration}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

export function CheckboxGroup({ checkedValues, ...props }: ChoiceGroupProps & { checkedValues: readonly string[] }) {
  return <ChoiceGroup type="checkbox" isChecked={(value) => checkedValues.includes(value)} {...props} />;
}

export function RadioGroup({ checkedValue, ...props }: ChoiceGroupProps & { checkedValue: string }) {
  return <ChoiceGroup type="radio" isChecked={(value) => value === checkedValue} {...props} />;
}

type CheckboxProps = {
  formId: string;
  label: ReactNode;
  error?: string;
  registration: UseFormRegisterReturn;
  defaultChecked?: boolean;
};

export function Checkbox({ formId, label, error, registration, defaultChecked }: CheckboxProps) {
  const { t } = useTranslation();
  const id = fieldId(formId, registration.name);
  return (
    <div className={error ? "field field--invalid" : "field"}>
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {translateError(t, error)}
        </p>
      ) : null}
      <div className="choice">
        <input
          type="checkbox"
          id={id}
          value="yes"
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          {...registration}
        />
        <label htmlFor={id}>{label}</label>
      </div>
    </div>
  );
}

/**
 * Pressing Enter in a field "clicks" the form's first submit button. In forms with add/remove
 * row buttons this hidden first button makes Enter save instead of removing a row.
 */
export function EnterSubmits({ intent }: { intent: string }) {
  return <button type="submit" name="intent" value={intent} className="visually-hidden" tabIndex={-1} aria-hidden="true" />;
}

/** Lists every problem at the top with a link to its field, as GOV.UK-style error summaries do. */
export function ErrorSummary({ formId, errors }: { formId: string; errors: FieldErrors }) {
  const { t } = useTranslation();
  const entries = Object.entries(errors).filter(([field]) => field !== "form");
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby={`${formId}-error-summary`} tabIndex={-1}>
      <h2 id={`${formId}-error-summary`} className="error-summary__title">
        {t("form.errorSummaryTitle", { count: entries.length })}
      </h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            <a href={`#${fieldId(formId, field)}`}>{translateError(t, message)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A problem with the submission as a whole (wrong password, too many attempts). */
export function FormError({ message, values }: { message?: string; values?: Record<string, unknown> }) {
  const { t } = useTranslation();
  if (!message) return null;
  return (
    <p className="notice notice--error" role="alert">
      {t(message as ParseKeys, values ?? {})}
    </p>
  );
}
