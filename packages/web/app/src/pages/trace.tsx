import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function TracePage() {
  return <PageHeader title="Trace" />;
}
