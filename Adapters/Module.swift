// Adapters: one file per outside system.
