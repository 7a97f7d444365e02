import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function LlmPage() {
  return <PageHeader title="LLM calls" />;
}
