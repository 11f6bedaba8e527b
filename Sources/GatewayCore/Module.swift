// Module GatewayCore: sources arrive in their own files.
