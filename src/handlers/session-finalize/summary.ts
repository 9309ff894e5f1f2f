/** The summary object the agent returns (upstream SummarizeResponse), after validation. */
export interface AhaMoment {
  seq: number;
  role: string;
  type: string;
  highlight: string;
  why: string;
}

export interface ChapterInfo {
  id: number;
  title: string;
  start_seq: number;
  end_seq: number;
  tool_counts: Record<string, number>;
  total_tools: number;
  has_edits: boolean;
}

export interface FileChange {
  path: string;
  added: number;
  removed?: number;
}

export interface Summary {
  title: string;
  summary: string;
  key_actions: string[];
  outcome: string;
  topics_found: string[];
  agent_summary?: Record<string, unknown>;
  final_plan?: string;
  diagrams?: string[];
  chapter_titles?: string[];
  aha_moments?: AhaMoment[];
  sageox_insights?: Record<string, unknown>[];
  quality_score: number;
  score_reason?: string;
  /** Computed from the transcript when session.html is written, not asked of the model. */
  chapters?: ChapterInfo[];
  files_changed?: FileChange[];
  /** Secrets replaced by marks in this session, by kind; computed, not asked of the model. */
  redactions?: Record<string, number>;
}
