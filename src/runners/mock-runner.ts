import type { AgentCheck, Runner, RunRequest, RunResult } from "./runner.ts";

/** A successful result with nothing in it; `overrides` fill in what a test cares about. */
export function emptyRunResult(overrides: Partial<RunResult> = {}): RunResult {
  return {
    output: "",
    exitCode: 0,
    durationMs: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: null,
    sessionId: null,
    numTurns: null,
    pid: null,
    ...overrides,
  };
}

export type MockRunFn = (request: RunRequest, call: number) => RunResult | Promise<RunResult>;

export interface MockRunnerOptions {
  available?: boolean;
  /** Called for every run with the 1-based call number; throw a RunnerError to fail a run. */
  run?: MockRunFn;
  agentType?: string;
  /** What check() reports as the problem (e.g. cannot be locked down); null: usable. */
  problem?: string | null;
}

/** A Runner for scheduler tests: no processes, counts and records every call (upstream §5.2). */
export class MockRunner implements Runner {
  readonly agentType: string;
  /** Flip at any time: available() reports the current value, like a binary (un)installed. */
  isAvailable: boolean;
  /** Flip at any time, like an upgrade of the CLI. */
  problem: string | null;
  calls = 0;
  readonly requests: RunRequest[] = [];
  private readonly fn: MockRunFn;

  constructor(options: MockRunnerOptions = {}) {
    this.agentType = options.agentType ?? "mock";
    this.isAvailable = options.available ?? true;
    this.problem = options.problem ?? null;
    this.fn = options.run ?? (() => emptyRunResult());
  }

  available(): boolean {
    return this.isAvailable;
  }

  async check(): Promise<AgentCheck> {
    const problem = this.isAvailable ? this.problem : `${this.agentType} not found`;
    return { agentType: this.agentType, bin: null, version: "1.0.0", problem };
  }

  async run(request: RunRequest): Promise<RunResult> {
    this.calls++;
    this.requests.push(request);
    return this.fn(request, this.calls);
  }
}
