/**
 * Trainer profiles from the `dialogueCurator.trainers` setting, checked with the protocol's own
 * validators so a typo in a hyperparameter is reported here, not by the trainer after upload.
 * Free of `vscode`: the setting's raw value comes in, profiles and readable problems go out.
 */
import { DpoHyperparameters, EvalPrompt, parseEvalPrompts, parseHyperparameters, parsePeft, PeftOptions, ProtocolError } from '../../core/trainer/protocol';

export interface TrainerProfile {
  name: string;
  /** Base URL as written (http or https). */
  url: string;
  /** Model to fine-tune; the trainer's default when absent. */
  model?: string;
  hyperparameters: DpoHyperparameters;
  /** LoRA / QLoRA options for the backend; absent trains all weights. */
  peft?: PeftOptions;
  /** Free-form labels stored with the job (`metadata`). */
  metadata?: Record<string, string>;
  /** Prompts the base and the tuned model answer after training (the job's `eval_prompts`). */
  evalPrompts?: EvalPrompt[];
}

export interface ProfilesResult {
  profiles: TrainerProfile[];
  /** One sentence per entry that was skipped, naming it and the field. */
  problems: string[];
}

const PROFILE_KEYS = ['name', 'url', 'model', 'hyperparameters', 'peft', 'metadata', 'evalPrompts'];

export function parseTrainerProfiles(raw: unknown): ProfilesResult {
  const profiles: TrainerProfile[] = [];
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { profiles, problems };
  if (!Array.isArray(raw)) return { profiles, problems: ['dialogueCurator.trainers must be a list of trainer profiles'] };
  const names = new Set<string>();
  raw.forEach((entry, i) => {
    const where = `dialogueCurator.trainers[${i}]`;
    try {
      const profile = parseProfile(entry, where);
      if (names.has(profile.name)) throw new Error(`${where}: the name "${profile.name}" is used twice`);
      names.add(profile.name);
      profiles.push(profile);
    } catch (err) {
      problems.push((err as Error).message);
    }
  });
  return { profiles, problems };
}

function parseProfile(entry: unknown, where: string): TrainerProfile {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error(`${where} must be an object`);
  const o = entry as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!PROFILE_KEYS.includes(key)) throw new Error(`${where}.${key} is not a profile field (allowed: ${PROFILE_KEYS.join(', ')})`);
  }
  if (typeof o.url !== 'string' || !o.url.trim()) throw new Error(`${where}.url is required (e.g. "http://127.0.0.1:8787")`);
  const url = o.url.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${where}.url "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${where}.url must start with http:// or https://`);
  if (parsed.username || parsed.password) throw new Error(`${where}.url must not contain credentials: use "Set Trainer Token"`);
  const name = typeof o.name === 'string' && o.name.trim() ? o.name.trim() : parsed.host;
  if (o.model !== undefined && (typeof o.model !== 'string' || !o.model.trim())) throw new Error(`${where}.model must be a model name`);
  const profile: TrainerProfile = { name, url, hyperparameters: {} };
  if (typeof o.model === 'string') profile.model = o.model.trim();
  try {
    profile.hyperparameters = parseHyperparameters(o.hyperparameters, `${where}.hyperparameters`);
    const peft = parsePeft(o.peft, `${where}.peft`);
    if (peft) profile.peft = peft;
    if (o.evalPrompts !== undefined) profile.evalPrompts = parseEvalPrompts(o.evalPrompts, `${where}.evalPrompts`);
  } catch (err) {
    if (err instanceof ProtocolError) throw new Error(err.message);
    throw err;
  }
  if (o.metadata !== undefined) {
    if (typeof o.metadata !== 'object' || o.metadata === null || Array.isArray(o.metadata)) throw new Error(`${where}.metadata must be an object of strings`);
    for (const [k, v] of Object.entries(o.metadata)) {
      if (typeof v !== 'string') throw new Error(`${where}.metadata.${k} must be a string`);
    }
    profile.metadata = o.metadata as Record<string, string>;
  }
  return profile;
}

/** `host:port` for messages: what a person recognises of a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The key a token is stored under: origin plus path, without a trailing slash or `/v1`, so the
 * same trainer written two ways shares its token and two trainers behind one proxy do not.
 */
export function tokenKeyOf(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')}`;
}
