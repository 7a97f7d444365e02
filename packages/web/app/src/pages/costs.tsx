import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function CostsPage() {
  return <PageHeader title="Costs" />;
}
