// Generates tests/data/fsrs_vectors.json: random review sequences scheduled by the reference
// FSRS implementation (ts-fsrs, version pinned in package.json), for the C++ parity tests.
//
//   cd tests/tools && npm install && node gen_fsrs_vectors.mjs [--seed N] [--cases N] [--out FILE]
//
// The output is deterministic for a given seed and ts-fsrs version.
import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmptyCard, fsrs } from 'ts-fsrs';

const here = dirname(fileURLToPath(import.meta.url));
const tsFsrsVersion = JSON.parse(readFileSync(join(here, 'node_modules', 'ts-fsrs', 'package.json'), 'utf8')).version;

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const seed = argValue('--seed', 20221229);
const caseCount = argValue('--cases', 600);
const outIndex = process.argv.indexOf('--out');
const outPath = outIndex >= 0 ? process.argv[outIndex + 1] : join(here, '..', 'data', 'fsrs_vectors.json');

// ts-fsrs logs a debug line whenever it upgrades a 19-parameter set.
console.debug = () => {};

// mulberry32: small seeded generator so the file can be regenerated identically.
function makeRandom(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = makeRandom(seed);
const uniform = (lo, hi) => lo + (hi - lo) * random();
const integer = (lo, hi) => Math.floor(uniform(lo, hi + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
const chance = (p) => random() < p;

const MS_MINUTE = 60_000;
const MS_HOUR = 60 * MS_MINUTE;
const MS_DAY = 24 * MS_HOUR;

const DEFAULT_W = [
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
  1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];
// The ranges the C++ scheduler accepts (it rejects values outside them; ts-fsrs would clip).
const RANGES = [
  [0.001, 100], [0.001, 100], [0.001, 100], [0.001, 100], [1, 10], [0.001, 4], [0.001, 4],
  [0.001, 0.75], [0, 4.5], [0, 0.8], [0.001, 3.5], [0.001, 5], [0.001, 0.25], [0.001, 0.9],
  [0, 4], [0, 1], [1, 6], [0, 2], [0, 2], [0, 0.8], [0.1, 0.8],
];
// FSRS-5 sets as produced by the optimizer for real collections.
const FSRS5_SETS = [
  [0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192, 1.01925,
    1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621],
  [0.0841, 0.8193, 1.9633, 11.1037, 6.9216, 0.6164, 2.2105, 0.0121, 1.3906, 0.1053, 0.9306,
    2.1193, 0.0485, 0.3226, 1.5523, 0.2231, 2.8012, 0.4437, 0.1561],
];

const round8 = (x) => Math.round(x * 1e8) / 1e8;
const clampTo = (x, [lo, hi]) => Math.min(Math.max(x, lo), hi);

// Defaults nudged by up to ~x2 either way: plausible fitted parameters.
function perturbedWeights() {
  return DEFAULT_W.map((w, i) => round8(clampTo(w * Math.exp(uniform(-0.7, 0.7)), RANGES[i])));
}
// Anywhere inside the accepted ranges: stresses clamps and extreme stabilities.
function extremeWeights() {
  return RANGES.map(([lo, hi]) => round8(uniform(lo, hi)));
}

function randomConfig() {
  const config = {};
  const r = random();
  if (r < 0.15) config.parameters = perturbedWeights();
  else if (r < 0.22) config.parameters = extremeWeights();
  else if (r < 0.32) config.parameters = [...pick(FSRS5_SETS)];
  if (chance(0.3)) config.enable_short_term = false;
  if (chance(0.25)) config.desired_retention = pick([0.7, 0.8, 0.85, 0.95, 0.97, 0.99]);
  if (chance(0.25)) {
    config.learning_steps = pick([[], ['5m'], ['1m', '5m', '1h'], ['10m', '1d'], ['30m', '2d'], ['1h'], ['3m', '15m']]);
  }
  if (chance(0.25)) config.relearning_steps = pick([[], ['5m', '30m'], ['1d'], ['10m', '1h', '1d'], ['15m']]);
  if (chance(0.2)) config.maximum_interval = pick([30, 180, 365, 1000]);
  return config;
}

function schedulerFor(config) {
  return fsrs({
    w: config.parameters,
    request_retention: config.desired_retention,
    maximum_interval: config.maximum_interval,
    learning_steps: config.learning_steps,
    relearning_steps: config.relearning_steps,
    enable_short_term: config.enable_short_term ?? true,
    enable_fuzz: false,
  });
}

// 2020..2026 at any time of day, often close to a UTC midnight to exercise day boundaries.
function firstReviewTime() {
  const day = Date.UTC(2020, 0, 1) + integer(0, 7 * 365) * MS_DAY;
  if (chance(0.3)) return day + pick([-1, 1]) * integer(1, 30) * MS_MINUTE + integer(0, 999);
  return day + integer(0, MS_DAY - 1);
}

// When the next review happens relative to the last one and the card's due time.
function nextReviewTime(card, last) {
  const due = card.due.getTime();
  const span = Math.max(due - last, MS_MINUTE);
  switch (pick(['due', 'due', 'due', 'early', 'late', 'same_day', 'months', 'jitter'])) {
    case 'due': return due;
    case 'early': return last + Math.floor(span * uniform(0.05, 0.95));
    case 'late': return due + Math.floor(span * uniform(0.1, 3)) + integer(0, 20) * MS_DAY;
    case 'same_day': return last + integer(1, 8 * 60) * MS_MINUTE + integer(0, 59_999);
    case 'months': return last + integer(30, chance(0.2) ? 3000 : 400) * MS_DAY + integer(0, MS_DAY - 1);
    default: return due + integer(-3 * 60, 3 * 60) * MS_MINUTE + integer(0, 999);
  }
}

function ratingSource() {
  const style = random();
  if (style < 0.08) return () => 4;                       // Easy streaks reach the maximum interval
  if (style < 0.14) return () => (chance(0.8) ? 1 : 3);   // a leech
  if (style < 0.24) return () => integer(1, 4);           // uniform
  return () => { const x = random(); return x < 0.15 ? 1 : x < 0.3 ? 2 : x < 0.85 ? 3 : 4; };
}

function makeCase() {
  const config = randomConfig();
  const f = schedulerFor(config);
  const rate = ratingSource();
  const length = chance(0.1) ? integer(30, 60) : integer(1, 25);
  let at = firstReviewTime();
  let card = createEmptyCard(new Date(at));
  const reviews = [];
  const expected = [];
  for (let i = 0; i < length; i++) {
    if (i > 0) at = Math.max(nextReviewTime(card, at), at);
    const rating = rate();
    card = f.next(card, new Date(at), rating).card;
    reviews.push([at, rating]);
    expected.push([card.state, card.stability, card.difficulty, card.scheduled_days, card.due.getTime(),
      card.reps, card.lapses, card.learning_steps]);
  }
  return { config, reviews, expected };
}

const cases = Array.from({ length: caseCount }, makeCase);
const header = {
  generator: `ts-fsrs ${tsFsrsVersion}`,
  seed,
  format: {
    config: 'replay-style options; absent fields take the defaults',
    reviews: '[unix_ms, rating 1..4]',
    expected: '[state 0..3 (new, learning, review, relearning), stability, difficulty, scheduled_days, due_unix_ms, reps, lapses, step]',
  },
};
// One case per line keeps the file diffable.
const text = `{"meta":${JSON.stringify(header)},\n"cases":[\n${cases.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`;
writeFileSync(outPath, text);
const reviewCount = cases.reduce((n, c) => n + c.reviews.length, 0);
console.log(`wrote ${cases.length} cases, ${reviewCount} reviews, ${text.length} bytes to ${outPath}`);
