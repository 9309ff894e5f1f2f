/**
 * Files that live in a session dir but must never be committed or copied into the ledger:
 * markers (`.recording.json`, `.discarded.json`, `.held`, `.publish`), every other dotfile, and
 * temp files (ours are dotfiles too; editors' and tools' are matched by suffix). One list, used
 * by imports and written into `sessions/.gitignore`.
 */
export const LOCAL_ONLY_PATTERNS = [".*", "*.tmp", "*.tmp-*", "*.swp", "*~", "*.import-*"];

const SUFFIXES = /(?:\.tmp|\.tmp-.*|\.swp|~|\.import-.*)$/;

export function isLocalOnlyName(name: string): boolean {
  return name.startsWith(".") || SUFFIXES.test(name);
}
