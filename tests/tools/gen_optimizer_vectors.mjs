// Generates tests/data/optimizer/: synthetic review histories (one card per line, in the
// `certdrill replay` / `certdrill optimize --from` input format) drawn from a few "true" FSRS-6
// parameter sets, together with what fsrs-rs (through @open-spaced-repetition/binding, version
// pinned in package.json) makes of them: its fitted parameters and its evaluation (log loss,
// RMSE(bins)) of those, of the defaults and of a fixed probe parameter set.
//
//   cd tests/tools && npm install && node gen_optimizer_vectors.mjs
//
// Every review happens between 06:00 and 20:00 UTC, so days counted in UTC with the day rolling
// over at 04:00 are the calendar days. Training items are every review after the first that
// falls on a later day than the review before it, with the card's whole earlier history; they are
// handed to fsrs-rs ordered by review time (ties: card order), which is the order certdrill uses.
import { writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from '@open-spaced-repetition/binding';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'data', 'optimizer');
const bindingVersion = JSON.parse(
  readFileSync(join(here, 'node_modules', '@open-spaced-repetition', 'binding', 'package.json'), 'utf8')).version;

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

const DEFAULT_W = [
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
  1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];
// A probe set, evaluated by fsrs-rs so that certdrill's evaluator can be checked on parameters
// far from the defaults.
const PROBE_W = [
  0.5, 2.0, 4.0, 12.0, 5.5, 1.0, 2.0, 0.01, 1.5, 0.2, 1.0,
  1.8, 0.08, 0.3, 1.2, 0.5, 2.2, 0.4, 0.2, 0.1, 0.3,
];

const SETS = [
  { name: 'defaults', seed: 11, cards: 650, w: DEFAULT_W },
  { name: 'slow_forgetter', seed: 22, cards: 600,
    w: [0.8, 2.5, 5.0, 15.0, 5.0, 0.6, 2.0, 0.005, 2.2, 0.12, 1.0,
        1.2, 0.05, 0.35, 1.2, 0.7, 2.0, 0.5, 0.1, 0.05, 0.2] },
  { name: 'fast_forgetter', seed: 33, cards: 700,
    w: [0.1, 0.6, 1.2, 4.0, 7.5, 1.0, 3.5, 0.01, 1.4, 0.25, 0.7,
        1.8, 0.08, 0.2, 2.0, 0.5, 1.6, 0.6, 0.08, 0.1, 0.4] },
];

const clamp = (x, lo, hi) => Math.min(Math.max(x, lo), hi);

// FSRS-6 as fsrs-rs computes it (no rounding), short-term on.
function model(w) {
  const decay = -w[20];
  const factor = Math.pow(0.9, 1 / decay) - 1;
  const d0 = (g) => w[4] - Math.exp(w[5] * (g - 1)) + 1;
  return {
    recall: (t, s) => Math.pow(1 + factor * t / s, decay),
    interval: (s, r) => (s / factor) * (Math.pow(r, 1 / decay) - 1),
    first: (g) => ({ s: clamp(w[g - 1], 0.001, 36500), d: clamp(d0(g), 1, 10) }),
    next(m, g, t) {
      let s;
      if (t === 0) {
        let inc = Math.exp(w[17] * (g - 3 + w[18])) * Math.pow(m.s, -w[19]);
        if (g >= 2) inc = Math.max(inc, 1);
        s = m.s * inc;
      } else {
        const r = this.recall(t, m.s);
        if (g === 1) {
          const f = w[11] * Math.pow(m.d, -w[12]) * (Math.pow(m.s + 1, w[13]) - 1) * Math.exp((1 - r) * w[14]);
          s = Math.min(f, m.s / Math.exp(w[17] * w[18]));
        } else {
          const hard = g === 2 ? w[15] : 1;
          const easy = g === 4 ? w[16] : 1;
          s = m.s * (1 + Math.exp(w[8]) * (11 - m.d) * Math.pow(m.s, -w[9]) *
                     (Math.exp(w[10] * (1 - r)) - 1) * hard * easy);
        }
      }
      const damped = m.d + (-w[6] * (g - 3)) * (10 - m.d) / 9;
      const d = clamp(w[7] * d0(4) + (1 - w[7]) * damped, 1, 10);
      return { s: clamp(s, 0.001, 36500), d };
    },
  };
}

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2026, 0, 5);

// One card's history: [{day, minute, rating}], days counted from EPOCH.
function simulateCard(m, random, startDay, horizon) {
  const reviews = [];
  const pick = (weights) => {
    let x = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; ++i) if ((x -= weights[i]) < 0) return i + 1;
    return weights.length;
  };
  let day = startDay;
  let minute = 360 + Math.floor(random() * 600);
  let g = pick([0.2, 0.15, 0.55, 0.1]);
  reviews.push({ day, minute, rating: g });
  let mem = m.first(g);
  // Learning steps: same-day reviews until a Good or Easy answer, at most three.
  const sameDay = () => {
    for (let k = 0; k < 3 && minute < 1190; ++k) {
      minute = Math.min(minute + 10 + Math.floor(random() * 60), 1199);
      const r = m.recall(0, mem.s);  // 1: short-term recall is not modelled by the curve
      const rating = random() < 0.8 * r ? 3 : 1;
      mem = m.next(mem, rating, 0);
      reviews.push({ day, minute, rating });
      if (rating >= 3) return;
    }
  };
  if (g <= 2) sameDay();
  const retention = 0.75 + random() * 0.2;
  while (reviews.length < 24) {
    const planned = Math.max(1, Math.round(m.interval(mem.s, retention) * (0.8 + random() * 0.5)));
    day += planned;
    if (day > horizon) break;
    minute = 360 + Math.floor(random() * 600);
    const r = m.recall(planned, mem.s);
    const recalled = random() < r;
    const rating = recalled ? pick([0.1, 0.75, 0.15]) + 1 : 1;
    mem = m.next(mem, rating, planned);
    reviews.push({ day, minute, rating });
    if (rating === 1 && random() < 0.8) sameDay();
  }
  return reviews;
}

const iso = (day, minute) => new Date(EPOCH + day * DAY_MS + minute * 60_000).toISOString().replace('.000Z', 'Z');

function trainingItems(cards) {
  const items = [];
  cards.forEach((reviews, card) => {
    const steps = reviews.map((r, i) => ({ rating: r.rating, delta: i === 0 ? 0 : r.day - reviews[i - 1].day }));
    for (let i = 1; i < reviews.length; ++i) {
      if (steps[i].delta === 0) continue;
      items.push({ at: reviews[i].day * 1440 + reviews[i].minute, card, steps: steps.slice(0, i + 1) });
    }
  });
  items.sort((a, b) => a.at - b.at || a.card - b.card);
  return items.map((it) => new FSRSBindingItem(it.steps.map((s) => new FSRSBindingReview(s.rating, s.delta))));
}

const evaluation = (w, items) => {
  const e = new FSRSBinding(w).evaluate(items);
  return { log_loss: e.logLoss, rmse_bins: e.rmseBins };
};

const summary = { binding_version: bindingVersion, sets: [] };
for (const set of SETS) {
  const random = makeRandom(set.seed);
  const m = model(set.w);
  const cards = [];
  for (let c = 0; c < set.cards; ++c) {
    const reviews = simulateCard(m, random, Math.floor(random() * 120), 240);
    if (reviews.length >= 1) cards.push(reviews);
  }
  const lines = cards.map((reviews) =>
    JSON.stringify({ reviews: reviews.map((r) => ({ at: iso(r.day, r.minute), rating: r.rating })) }));
  writeFileSync(join(outDir, `${set.name}.jsonl`), lines.join('\n') + '\n');
  const items = trainingItems(cards);
  const fitted = await computeParameters(items, { enableShortTerm: true, numRelearningSteps: 1 });
  const entry = {
    name: set.name,
    file: `${set.name}.jsonl`,
    cards: cards.length,
    reviews: cards.reduce((n, r) => n + r.length, 0),
    training_items: items.length,
    true_parameters: set.w,
    fsrs_rs: { parameters: Array.from(fitted), ...evaluation(Array.from(fitted), items) },
    defaults: { parameters: DEFAULT_W, ...evaluation(DEFAULT_W, items) },
    probe: { parameters: PROBE_W, ...evaluation(PROBE_W, items) },
  };
  summary.sets.push(entry);
  console.log(entry.name, entry.reviews, 'reviews', entry.training_items, 'items', 'fsrs-rs', entry.fsrs_rs.log_loss,
              entry.fsrs_rs.rmse_bins, 'defaults', entry.defaults.log_loss, 'probe', entry.probe.log_loss);
}
writeFileSync(join(outDir, 'fsrs_rs_fits.json'), JSON.stringify(summary, null, 1) + '\n');
