/**
 * A deterministic generator of realistic preference pairs (1–2 KB per record) for benchmarks:
 * caregiving prompts, mostly kind chosen responses with some tone problems, cold or technical
 * rejected responses, a few duplicates, escapes (\n, quotes, accents) like real exports have.
 */

import * as fs from 'fs';

/** A small seeded PRNG (mulberry32), so every run writes the same file. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RELATIVES = ['mum', 'dad', 'mother', 'father', 'husband', 'wife', 'grandmother', 'grandad', 'aunt', 'uncle', 'brother', 'sister', 'partner', 'son', 'daughter'];
const CONDITIONS = ['dementia', "Parkinson's", 'diabetes', 'heart failure', 'COPD', 'arthritis', 'a stroke', 'cancer', 'MS', 'kidney disease', 'depression', 'Alzheimer\u2019s', 'a hip fracture', 'macular degeneration'];
const TOPICS = ['sleep', 'meals', 'medicines', 'bathing', 'falls', 'appointments', 'money', 'driving', 'memory', 'mood', 'toileting', 'visitors', 'exercise', 'hearing aids', 'the stairs', 'the garden', 'nights', 'weekends'];
const NAMES = ['Ana', 'Ben', 'Chloé', 'Dev', 'Ellen', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jon', 'Kemi', 'Luis', 'Maya', 'Noor', 'Owen', 'Priya', 'Rosa', 'Sam', 'Tomás', 'Uma'];
const PLACES = ['the kitchen', 'the hallway', 'the bathroom', 'the living room', 'her bedroom', 'his chair', 'the car', 'the clinic', 'the pharmacy', 'the day centre'];
const TIMES = ['in the morning', 'after lunch', 'in the evening', 'at night', 'on weekends', 'before appointments', 'after visits', 'on bad days'];

const PROMPTS = [
  'My {rel} has {cond} and is struggling with {topic}. I feel {feel} and I do not know where to start. What can I do to help {pron} at home without taking over everything?',
  'How can I help my {rel} with {topic}? {Pron} was diagnosed with {cond} last year and things have got harder {time}. Any practical ideas?',
  'I look after my {rel} who has {cond}. Lately {topic} has become a real problem, especially {time}. I am {feel}. Is this normal, and what helps?',
  '{Name} here. My {rel} keeps refusing help with {topic}, and I am {feel}. How do I raise it without an argument?',
  'What should I ask the doctor about my {rel}\u2019s {topic}? {Pron} has {cond} and the last appointment felt rushed.',
];
const FEELINGS = ['exhausted', 'worried', 'overwhelmed', 'frustrated', 'guilty', 'anxious', 'a bit lost', 'tired', 'unsure', 'okay but stretched'];

const CHOSEN = [
  'That sounds really hard, and it makes sense that you feel {feel}.',
  'You are clearly doing a lot for your {rel}, and it is completely understandable to feel {feel} at times.',
  'Many carers find that small changes to {topic} make a real difference {time}.',
  'It might help to keep a short diary of {topic} for a week or two, so patterns are easier to spot and to share with {pron2} care team.',
  'You could try setting up {place} so that everything {pron} needs for {topic} is within reach.',
  'If {pron} resists, offering a choice between two options often feels less like being told what to do.',
  'Some families find it useful to agree on a simple routine for {topic}, with the same steps at the same time each day.',
  'A pharmacist or a nurse can also look at {topic} with you and suggest changes that suit {cond}.',
  'Would it help to talk through what a typical day looks like, so we can see where the pressure points are?',
  'It is okay to ask for help: a carer\u2019s assessment from the council can open up support such as respite or a day centre.',
  'Looking after yourself matters too, so try to keep a little time each week that is just for you.',
  'If anything changes suddenly, such as new confusion or a fall, please contact {pron2} doctor the same day.',
  'When you raise it, starting with how much you care about {pron2} independence can make the conversation gentler.',
  '{Name} at the local carers\u2019 centre, or a similar service, may know about groups for people living with {cond}.',
  'You do not have to sort everything at once; one small step this week is enough.',
];
const CHOSEN_PROBLEMS = [
  'You must check {topic} every day and you need to write it all down.',
  'Watch for orthostatic hypotension and polypharmacy when {pron} ambulates.',
  'Calm down, it\u2019s not a big deal.',
  'Obviously you should know this already.',
  'Do it NOW!! Do not wait.',
];
const REJECTED = [
  'Management of {topic} in {cond} requires a multidisciplinary assessment and individualised titration of interventions.',
  'You need to take control of {topic}. Stop letting {pron} decide.',
  'Just make {pron} do it. Everyone deals with this.',
  'Check {topic}. Write it down. Call the GP. Do not skip a day.',
  'The evidence-based approach utilizes pharmacological and non-pharmacological modalities.',
  'It is not that complicated, honestly.',
  'You should have planned for this earlier.',
  'Read the leaflet about {cond} and follow the protocol in {place}.',
  'Use a pill organiser and set alarms {time}.',
  'Caregiver burden is a recognised risk factor for adverse outcomes.',
];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)];
}

function fill(template: string, ctx: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = ctx[key.toLowerCase()] ?? '';
    return key[0] === key[0].toUpperCase() ? v.charAt(0).toUpperCase() + v.slice(1) : v;
  });
}

function paragraph(r: () => number, pool: readonly string[], minChars: number, maxChars: number, ctx: Record<string, string>): string {
  const target = minChars + Math.floor(r() * (maxChars - minChars));
  let out = '';
  let guard = 0;
  while (out.length < target && guard++ < 40) {
    const sentence = fill(pick(r, pool), ctx);
    out += out ? (r() < 0.12 ? '\n\n' : ' ') + sentence : sentence;
  }
  return out;
}

/** Record `i` of the benchmark dataset (TRL standard preference format, one JSON line). */
export function benchRecord(i: number, seed = 42): string {
  const r = rng(seed * 1_000_003 + i);
  const rel = pick(r, RELATIVES);
  const female = ['mum', 'mother', 'wife', 'grandmother', 'aunt', 'sister', 'daughter'].includes(rel);
  const ctx: Record<string, string> = {
    rel,
    cond: pick(r, CONDITIONS),
    topic: pick(r, TOPICS),
    feel: pick(r, FEELINGS),
    name: pick(r, NAMES),
    place: pick(r, PLACES),
    time: pick(r, TIMES),
    pron: female ? 'her' : 'him',
    pron2: female ? 'her' : 'his',
  };
  const prompt = `${fill(pick(r, PROMPTS), ctx)}${r() < 0.3 ? ` (case ${i}, "${ctx.name}")` : ''}`;
  let chosen = paragraph(r, CHOSEN, 550, 1000, ctx);
  if (r() < 0.06) chosen += ` ${fill(pick(r, CHOSEN_PROBLEMS), ctx)}`;
  const rejected = paragraph(r, REJECTED, 250, 650, ctx);
  return JSON.stringify({ prompt, chosen, rejected, id: `pair-${i}` });
}

/** The benchmark file's lines: `n` records, about 1% of them exact duplicates of earlier ones. */
export function* benchLines(n: number, seed = 42): Generator<string> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) {
    const duplicate = i > 100 && r() < 0.01;
    yield benchRecord(duplicate ? Math.floor(r() * i) : i, seed);
  }
}

/**
 * Writes the benchmark file: `records` lines, or as many as make it at least `bytes` long.
 * Returns how many records and bytes it wrote.
 */
export function writeBenchFile(file: string, size: { records?: number; bytes?: number }): { records: number; bytes: number } {
  const limit = size.records ?? Infinity;
  const fd = fs.openSync(file, 'w');
  let records = 0;
  let bytes = 0;
  let buffer: string[] = [];
  const flush = () => {
    const chunk = `${buffer.join('\n')}\n`;
    fs.writeSync(fd, chunk);
    bytes += Buffer.byteLength(chunk);
    buffer = [];
  };
  try {
    for (const line of benchLines(limit)) {
      buffer.push(line);
      records++;
      if (buffer.length === 1000) flush();
      if (size.bytes !== undefined && bytes >= size.bytes) break;
    }
    if (buffer.length) flush();
  } finally {
    fs.closeSync(fd);
  }
  return { records, bytes };
}
