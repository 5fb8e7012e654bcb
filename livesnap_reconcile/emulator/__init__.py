"""The sandbox: a local emulator of both vendors' snapshot APIs. Imports only stdlib and httpx."""
