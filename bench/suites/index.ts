import type { Suite } from '../types.js';
import { generation } from './generate.js';
import { grade } from './grade.js';
import { orders } from './orders.js';
import { playground } from './playground.js';
import { read } from './read.js';
import { startup } from './startup.js';
import { store } from './store.js';
import { storeScaling } from './store-scaling.js';

/** Every suite, in the order `npm run bench` runs them. Add a new one here. */
export const suites: Suite[] = [read, store, storeScaling, orders, generation, playground, startup, grade];
