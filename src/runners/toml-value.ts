/**
 * A value as TOML text for a `-c key=value` override: strings, numbers, booleans, arrays and
 * inline tables. JSON string escapes are valid TOML basic-string escapes.
 */
export function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([k, v]) => `${tomlKey(k)}=${tomlValue(v)}`);
    return `{${entries.join(",")}}`;
  }
  return '""';
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}
