// Module Ingress: sources arrive in their own files.
