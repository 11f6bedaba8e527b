// Module HTTPClient: sources arrive in their own files.
