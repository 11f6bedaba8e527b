// Module Crypto: sources arrive in their own files.
