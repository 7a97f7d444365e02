export function NotFoundPage() {
  return (
    <div class="empty-state">
      <h1>No such page</h1>
      <p>
        Go to the <a href="/">overview</a>.
      </p>
    </div>
  );
}
