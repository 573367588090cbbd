import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const clearSession = await endSession(request);
  return redirectWithFlash(request, "/", { key: "login.loggedOut" }, { "Set-Cookie": clearSession });
}
