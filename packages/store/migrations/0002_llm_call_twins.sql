-- One provider call traced by two instrumentation layers (OpenLLMetry's LangChain span beside its
-- OpenAI span) is stored as two llm_calls rows: the one kept is billed as a call, the other gets
-- billing 'duplicate' and counts nowhere (turns, conversations, llm_hourly). Each names the other.
ALTER TABLE llm_calls ADD COLUMN twin_span_id text;
