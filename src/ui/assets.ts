import liveJs from "./assets/live.js" with { type: "text" };
import styleCss from "./assets/style.css" with { type: "text" };

/** The dashboard's static files, embedded in the executable. */
export const ASSETS: ReadonlyMap<string, { body: string; type: string }> = new Map([
  ["/assets/style.css", { body: styleCss, type: "text/css; charset=utf-8" }],
  ["/assets/live.js", { body: liveJs, type: "text/javascript; charset=utf-8" }],
]);
