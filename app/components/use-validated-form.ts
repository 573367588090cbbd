import { zodResolver } from "@hookform/resolvers/zod";
import { useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, type FormEvent } from "react";
import { useForm, type FieldValues } from "react-hook-form";
import type { z } from "zod";
import type { FieldErrors } from "~/utils/forms";

/**
 * react-hook-form driven by the server's zod schema. Without JavaScript the plain form posts and
 * the server answers with `serverErrors`; with it, fields validate as the user types and the
 * form is only sent once valid.
 */
export function useValidatedForm<S extends z.ZodTypeAny>({
  schema,
  serverErrors,
}: {
  schema: S;
  serverErrors?: FieldErrors;
}) {
  const submit = useSubmit();
  const location = useLocation();
  const form = useForm<FieldValues>({
    resolver: zodResolver(schema),
    mode: "onTouched",
    // No defaultValues on purpose: react-hook-form then takes each field's value from the DOM,
    // so text typed before hydration (slow phones) and values echoed by the server survive.
  });

  // After each submission the form shows what the server now holds: a successful invite empties
  // its field, a rejected one shows the echoed input. formKey remounts the form (React does not
  // update a mounted select's default), and reset() drops the values react-hook-form kept.
  const answeredLocation = useRef(location.key);
  useEffect(() => {
    if (answeredLocation.current === location.key) return;
    answeredLocation.current = location.key;
    form.reset();
  }, [location.key, form]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const formElement = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const target = submitter instanceof HTMLButtonElement ? submitter : formElement;
    void form.handleSubmit(() => submit(target))(event);
  };

  const errors: FieldErrors = { ...serverErrors };
  for (const [field, error] of Object.entries(form.formState.errors)) {
    if (typeof error?.message === "string") errors[field] = error.message;
    else delete errors[field];
  }
  // A field the user has corrected since the server answered no longer shows the server's error.
  for (const field of Object.keys(serverErrors ?? {})) {
    if (form.formState.dirtyFields[field] && !form.formState.errors[field]) delete errors[field];
  }

  return { register: form.register, errors, onSubmit, formKey: location.key };
}
