import type { MarkerStyle } from "./ownership.ts";
import type { ServiceSpec } from "./service-spec.ts";

export const LAUNCHD_LABEL = "io.github.agentwork.agentwork";
export const LAUNCHD_MARKER: MarkerStyle = { line: (hash) => `<!-- agentwork-sha256: ${hash} -->` };

/**
 * The launchd agent, pure so tests can parse it. KeepAlive restarts the daemon when it exits
 * with a failure (not after a clean stop); ThrottleInterval spaces the restarts.
 */
export function renderLaunchdPlist(spec: ServiceSpec, logPath: string): string {
  const args = spec.argv.map((a) => `    <string>${xml(a)}</string>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- Written by \`agentwork service install\` (agentwork ${xml(spec.version)}); \`agentwork service uninstall\` removes it. -->`,
    '<plist version="1.0">',
    "<dict>",
    "  <key>Label</key>",
    `  <string>${LAUNCHD_LABEL}</string>`,
    "  <key>ProgramArguments</key>",
    "  <array>",
    ...args,
    "  </array>",
    "  <key>EnvironmentVariables</key>",
    "  <dict>",
    "    <key>PATH</key>",
    `    <string>${xml(spec.path)}</string>`,
    "  </dict>",
    "  <key>RunAtLoad</key>",
    "  <true/>",
    "  <key>KeepAlive</key>",
    "  <dict>",
    "    <key>SuccessfulExit</key>",
    "    <false/>",
    "  </dict>",
    "  <key>ThrottleInterval</key>",
    "  <integer>10</integer>",
    "  <key>StandardOutPath</key>",
    `  <string>${xml(logPath)}</string>`,
    "  <key>StandardErrorPath</key>",
    `  <string>${xml(logPath)}</string>`,
    "</dict>",
    "</plist>",
    "",
  ].join("\n");
}

function xml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
