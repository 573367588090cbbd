import { useActionData, useNavigation } from "@remix-run/react";
import { useRef } from "react";

/**
 * The route's action data once the navigation it belongs to has finished. Remix hands action
 * data to the page while loaders still revalidate, one render before the new location; the page
 * is remounted per location (see root.tsx), so showing it early would let a person type into a
 * form that is about to be replaced.
 */
export function useSettledActionData<T>() {
  const actionData = useActionData<T>();
  const navigation = useNavigation();
  const settled = useRef(actionData);
  if (navigation.state === "idle") settled.current = actionData;
  return settled.current;
}
