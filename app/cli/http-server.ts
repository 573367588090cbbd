import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import { isAllowedOrigin } from "~/utils/origin-check";

const publicFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../public");

function rejectCrossOriginWrites(publicOrigin: string | undefined): RequestHandler {
  return (req, res, next) => {
    const allowed = isAllowedOrigin({
      method: req.method,
      origin: req.get("origin"),
      referer: req.get("referer"),
      expectedOrigin: publicOrigin ?? `${req.protocol}://${req.get("host")}`,
    });
    if (allowed) return next();
    res.status(403).type("text/plain").send("Forbidden: cross-origin request refused.");
  };
}

export function createHttpApp(options: {
  build: ServerBuild;
  mode: string;
  publicOrigin: string | undefined;
  trustProxy: boolean;
}) {
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, req.ip and req.protocol come from X-Forwarded-* only when trusted.
  app.set("trust proxy", options.trustProxy);
  app.use(compression());
  app.use("/build", express.static(path.join(publicFolder, "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(publicFolder, { maxAge: "1h", index: false }));
  app.use(rejectCrossOriginWrites(options.publicOrigin));
  app.all(
    "*",
    createRequestHandler({
      build: options.build,
      mode: options.mode,
      getLoadContext: (req) => ({ clientIp: req.ip ?? req.socket.remoteAddress }),
    }),
  );
  return app;
}
