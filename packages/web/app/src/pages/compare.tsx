import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function ComparePage() {
  return <PageHeader title="Compare" />;
}
