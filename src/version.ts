import pkg from "../package.json" with { type: "json" };

/** Baked into the compiled executable at build time (the JSON import is bundled). */
export const VERSION: string = pkg.version;
