// The operations the ingest tells apart: a type alone, so flavour files can name it without
// importing the readers.

/** Operations the ingest distinguishes (reference §3, "Operation"). */
export type Operation =
  | 'chat'
  | 'text_completion'
  | 'embeddings'
  | 'execute_tool'
  | 'invoke_agent'
  | 'workflow'
  | 'retrieval'
  | 'stt'
  | 'tts'
  | 'step'
  | 'other';
