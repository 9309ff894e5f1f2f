import type { Config } from "../config/config.ts";
import { AgentworkError } from "../core/errors.ts";
import type { Handler } from "./handler.ts";

/**
 * The kinds of work agentwork knows, by type. The scheduler, the operations and the socket ask
 * the registry; nothing outside a handler's own folder names it.
 */
export class HandlerRegistry {
  private readonly byType = new Map<string, Handler>();

  constructor(handlers: Iterable<Handler> = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: Handler): void {
    this.byType.set(handler.type, handler);
  }

  get(type: string): Handler | undefined {
    return this.byType.get(type);
  }

  /** The handler for `type`, or an E_USAGE error that lists the known types. */
  require(type: string): Handler {
    const handler = this.byType.get(type);
    if (handler) return handler;
    throw new AgentworkError(
      "E_USAGE",
      `unknown work type ${JSON.stringify(type)}; known types: ${this.types().join(", ")}`,
      { retry: "never" },
    );
  }

  all(): Handler[] {
    return [...this.byType.values()];
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Master switch, then the handler's own switch; an unknown type is never enabled. */
  isEnabled(config: Config, type: string): boolean {
    return config.enabled && (this.byType.get(type)?.isEnabled(config) ?? false);
  }

  /** Types whose items may be claimed now (claims skip the others, in SQL). */
  enabledTypes(config: Config): string[] {
    return this.types().filter((type) => this.isEnabled(config, type));
  }
}
