import { serviceBasics } from '@microtown/kit/testing/vitest';
import { startTestApp } from './test-app.js';

serviceBasics('orders', () => startTestApp());
