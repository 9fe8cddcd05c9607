import { readFile } from "node:fs/promises"
import type { ServerResponse } from "node:http"

// The page is plain files in the package's web/ folder, found from src/ui and dist/ui alike.
const WEB_DIR = new URL("../../web/", import.meta.url)

/** The page's files by the path they are served at. */
export const FILES: Readonly<Record<string, { readonly file: string; readonly type: string }>> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/timeline.js": { file: "timeline.js", type: "text/javascript; charset=utf-8" },
  "/tap-filter.js": { file: "tap-filter.js", type: "text/javascript; charset=utf-8" },
  "/session-file.js": { file: "session-file.js", type: "text/javascript; charset=utf-8" },
  "/style.css": { file: "style.css", type: "text/css; charset=utf-8" },
}

/** Answers a GET for one of the page's files; false for any other path. */
export async function serveStaticFile(pathname: string, res: ServerResponse): Promise<boolean> {
  if (pathname === "/favicon.ico") {
    res.writeHead(204).end()
    return true
  }
  const entry = FILES[pathname]
  if (entry === undefined) return false
  const body = await readFile(new URL(entry.file, WEB_DIR))
  res.writeHead(200, { "content-type": entry.type, "cache-control": "no-store" })
  res.end(body)
  return true
}
