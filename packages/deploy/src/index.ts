// Offline checks of the repository's deployment files.
export {};
