import { zodResolver } from "@hookform/resolvers/zod";
import { useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useLayoutEffect, useRef, type FormEvent } from "react";
import { useForm, type FieldValues } from "react-hook-form";
import type { z } from "zod";
import type { FieldErrors } from "~/utils/forms";

/**
 * Runs in the same commit that remounts the form, before anything can be typed into it, so no
 * input is reset away; useLayoutEffect exists only in the browser.
 */
const useBeforePaint = typeof document === "undefined" ? useEffect : useLayoutEffect;

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
  const location = useLocation();
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    // No defaults for other fields on purpose: react-hook-form then takes their values from the
    // DOM, so text typed before hydration (slow phones) and values echoed by the server survive.
    defaultValues: choiceGroups,
  });

  // After each submission the form shows what the server now holds: a successful invite empties
  // its field, a rejected one shows the echoed input. formKey remounts the form (React does not
  // update a mounted select's default), and reset() drops the values react-hook-form kept.
  const answeredLocation = useRef(location.key);
  const latestChoiceGroups = useRef(choiceGroups);
  latestChoiceGroups.current = choiceGroups;
  useBeforePaint(() => {
    if (answeredLocation.current === location.key) return;
    answeredLocation.current = location.key;
    // reset() puts the native form back to what the server rendered (text fields included);
    // reset(values) then makes the choice groups' new state react-hook-form's own.
    form.reset();
    form.reset(latestChoiceGroups.current);
  }, [location.key, form]);

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

  return { register: form.register, errors, onSubmit, formKey: location.key };
}
