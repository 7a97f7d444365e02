import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function StepsPage() {
  return <PageHeader title="Steps" />;
}
