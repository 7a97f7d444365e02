import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function LivePage() {
  return <PageHeader title="Live" />;
}
