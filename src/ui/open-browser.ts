import { runCommand } from "../core/process.ts";

/** Opens `url` in the desktop's browser (argv only, never a shell); false when that failed. */
export async function openBrowser(url: string, platform: NodeJS.Platform): Promise<boolean> {
  const opener = platform === "darwin" ? "open" : "xdg-open";
  try {
    const result = await runCommand([opener, url], { timeoutMs: 15_000 });
    return result.exitCode === 0;
  } catch {
    return false;
  }
}
