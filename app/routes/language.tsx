import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getUser } from "~/auth.server";
import { localeCookie } from "~/i18n/locale.server";
import { updateLocale } from "~/models/user.server";
import { locale } from "~/schemas/fields";
import { parseForm, readFormData } from "~/utils/forms";
import { safeRedirect } from "~/utils/safe-redirect";

const languageSchema = z.object({ locale, redirectTo: z.string().optional() });

export async function loader() {
  return redirect("/");
}

/** Open to everyone: the choice is remembered in a cookie, and on the account when logged in. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request);
  const form = parseForm(languageSchema, await readFormData(request));
  if (!form.success) return new Response("Unknown language", { status: 400 });
  if (user) updateLocale(user.id, form.data.locale);
  return redirect(safeRedirect(form.data.redirectTo, "/"), {
    headers: { "Set-Cookie": await localeCookie.serialize(form.data.locale) },
  });
}
