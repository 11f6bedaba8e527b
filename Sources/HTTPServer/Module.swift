// Module HTTPServer: sources arrive in their own files.
