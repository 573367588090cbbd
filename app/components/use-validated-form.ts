import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import type { FormEvent } from "react";
import { useForm, type FieldValues } from "react-hook-form";
import type { z } from "zod";
import type { FieldErrors } from "~/utils/forms";

/** react-hook-form nests errors ({ windows: [{ end: { message } }] }); fields use dot paths. */
function flattenErrors(node: unknown, path = "", into: FieldErrors = {}): FieldErrors {
  if (typeof node !== "object" || node === null) return into;
  const { message } = node as { message?: unknown };
  if (typeof message === "string" && path) into[path] = message;
  for (const [key, child] of Object.entries(node)) {
    if (["message", "type", "types", "ref", "root"].includes(key)) continue;
    flattenErrors(child, path ? `${path}.${key}` : key, into);
  }
  return into;
}

/**
 * react-hook-form driven by the server's zod schema. Without JavaScript the plain form posts and
 * the server answers with `serverErrors`; with it, fields validate as the user types and the
 * form is only sent once valid.
 */
export function useValidatedForm<S extends z.ZodTypeAny>({
  schema,
  serverErrors,
  isUnvalidatedIntent = () => false,
  choiceGroups = {},
}: {
  schema: S;
  serverErrors?: FieldErrors;
  /** Buttons that only reshape the form (add or remove a row) post without validation. */
  isUnvalidatedIntent?: (intent: string) => boolean;
  /**
   * The chosen values of each checkbox or radio group. react-hook-form cannot read a group from
   * the DOM (it would tick every box, or clear every radio), so groups alone get defaults.
   */
  choiceGroups?: Record<string, readonly string[] | string>;
}) {
  const submit = useSubmit();
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    // No defaults for other fields on purpose: react-hook-form then takes their values from the
    // DOM, so text typed before hydration (slow phones) and values echoed by the server survive.
    defaultValues: choiceGroups,
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const formElement = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const target = submitter instanceof HTMLButtonElement ? submitter : formElement;
    if (submitter instanceof HTMLButtonElement && isUnvalidatedIntent(submitter.value)) {
      event.preventDefault();
      submit(target);
      return;
    }
    void form.handleSubmit(() => submit(target))(event);
  };

  const clientErrors = flattenErrors(form.formState.errors);
  const errors: FieldErrors = { ...serverErrors, ...clientErrors };
  // A field the user has corrected since the server answered no longer shows the server's error.
  for (const field of Object.keys(serverErrors ?? {})) {
    const state = form.getFieldState(field, form.formState);
    if (state.isDirty && !state.invalid) delete errors[field];
  }

  return { register: form.register, errors, onSubmit };
}
