// Test helpers for code built on @cricket/server: a real server on 127.0.0.1 and a recording socket.

export { waitIdle } from './integration-helpers.js';
export { scriptedProfile, startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
export { openTestSocket, type TestSocket } from './test-socket.js';
