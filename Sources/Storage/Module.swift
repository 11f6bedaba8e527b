// Module Storage: sources arrive in their own files.
