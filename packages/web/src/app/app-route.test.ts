import { describe, expect, it } from 'vitest';
import { baseUrlFromModule, routeOf } from './app-route.js';

describe('app routes', () => {
  it('derives the server root from the entry script location', () => {
    expect(baseUrlFromModule('http://h:8080/assets/index-abc.js')).toBe('http://h:8080/');
    expect(baseUrlFromModule('https://h/chat-app/assets/index-abc.js')).toBe('https://h/chat-app/');
    expect(baseUrlFromModule('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173/');
  });

  it('routes /debug to the debug page and everything else to the chat', () => {
    expect(routeOf('/debug', '/')).toBe('debug');
    expect(routeOf('/chat-app/debug/', '/chat-app/')).toBe('debug');
    expect(routeOf('/', '/')).toBe('chat');
    expect(routeOf('/debugger', '/')).toBe('chat');
    expect(routeOf('/chat-app/', '/chat-app/')).toBe('chat');
  });
});
