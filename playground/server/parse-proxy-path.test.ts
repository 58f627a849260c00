import { describe, expect, it } from 'vitest';
import { parseProxyPath } from './parse-proxy-path.js';

describe('parseProxyPath', () => {
  it.each([
    ['/svc/user', { service: 'user', path: '/' }],
    ['/svc/user/', { service: 'user', path: '/' }],
    ['/svc/user?x=1', { service: 'user', path: '/?x=1' }],
    ['/svc/order-history/orders/1?a=%2F..', { service: 'order-history', path: '/orders/1?a=%2F..' }],
    ['/svc/user/users/u%201', { service: 'user', path: '/users/u%201' }],
    ['/svc/user/a..b/.hidden', { service: 'user', path: '/a..b/.hidden' }],
  ])('%s -> %j', (url, expected) => {
    expect(parseProxyPath(url)).toEqual(expected);
  });

  it.each([
    undefined,
    '/svc',
    '/svc/',
    '/svcuser/x',
    '/svc/%75ser/x',
    '/svc/user%2F../x',
    '/svc/-user/x',
    '/svc/user-/x',
    '/svc/user/./x',
    '/svc/user/x/..',
    '/svc/user/%2e/x',
    '/svc/user/x%00',
    '/svc/user/x\\..\\y',
    '/svc/user//x',
    '/svc/user/x#frag',
    'http://127.0.0.1/svc/user/x',
  ])('refuses %s', (url) => {
    expect(parseProxyPath(url)).toBeUndefined();
  });
});
