// The MSW server a client test talks to at the wire: listening for the whole file, its
// handlers dropped after each test, and any request no handler takes failing the test.
import { setupServer, type SetupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";

export const ORIGIN = "http://teamdrive.test";
export const BASE = `${ORIGIN}/api`;

/** Starts a server for the calling test file; call it once, at the top level. */
export function wireServer(): SetupServer {
  const server = setupServer();
  beforeAll(() => {
    server.listen({ onUnhandledRequest: "error" });
  });
  afterEach(() => {
    server.resetHandlers();
  });
  afterAll(() => {
    server.close();
  });
  return server;
}
